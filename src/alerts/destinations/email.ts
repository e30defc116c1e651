/**
 * Email over SMTP (nodemailer): the title as subject, the numbers as the plain-text body. One
 * pooled transport per destination; nodemailer handles STARTTLS and auth.
 */
import type nodemailerTypes from 'nodemailer';
import { lazyRequire } from '../../runtime/lazy-require.js';

/** Loaded only when an email destination exists (lazy-require.ts). */
const nodemailer = lazyRequire<typeof nodemailerTypes>('nodemailer');
import type { Destination } from './destination.js';

export interface EmailSettings {
  smtp: { host: string; port: number; secure: boolean; user?: string | undefined; pass?: string | undefined };
  from: string;
  to: readonly string[];
}

export function emailDestination(name: string, cfg: EmailSettings, timeoutMs: number): Destination {
  const transport = nodemailer().createTransport({
    host: cfg.smtp.host,
    port: cfg.smtp.port,
    secure: cfg.smtp.secure,
    auth: cfg.smtp.user ? { user: cfg.smtp.user, pass: cfg.smtp.pass ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    name, type: 'email',
    async send(n) {
      await transport.sendMail({
        from: cfg.from,
        to: [...cfg.to],
        subject: n.title,
        text: n.body,
      });
    },
    async close() {
      transport.close();
    },
  };
}
