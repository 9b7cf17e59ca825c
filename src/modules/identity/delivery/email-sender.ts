import nodemailer, { type Transporter } from 'nodemailer';

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

/** Email over SMTP with nodemailer: the real relay in production, the loopback sandbox locally. */
export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 } as never);
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail({ from: this.from, ...message });
      return { messageId: String(info.messageId) };
    } catch (err) {
      const e = err as { message: string; responseCode?: number };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new EmailDeliveryError(`SMTP send failed: ${e.message}`, !permanent, e.responseCode);
    }
  }

  close(): void {
    this.transport.close();
  }
}
