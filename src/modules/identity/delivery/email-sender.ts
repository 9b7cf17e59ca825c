import type { Transporter } from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/** A failed send; permanent (5xx SMTP replies) when a retry cannot fix it. */
export class EmailDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'EmailDeliveryError';
  }
}

/**
 * Email over SMTP with nodemailer: the real relay in production, the loopback sandbox locally.
 * nodemailer loads with the first send, not with every process that imports the identity module.
 */
export class SmtpEmailSender implements EmailSender {
  private transport?: Promise<Transporter>;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {}

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(this.smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 } as never),
    );
    try {
      const info = await (await this.transport).sendMail({ from: this.from, ...message });
      return { messageId: String(info.messageId) };
    } catch (err) {
      const e = err as { message: string; responseCode?: number };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new EmailDeliveryError(`SMTP send failed: ${e.message}`, !permanent, e.responseCode);
    }
  }

  close(): void {
    void this.transport?.then((t) => t.close());
  }
}
