import { smtpFailure } from './smtp-email-sender.js';

function smtpError(responseCode: number | undefined, code: string, response?: string) {
  return Object.assign(new Error(response ?? code), { responseCode, code, response });
}

describe('smtpFailure', () => {
  it('retries 4xx replies', () => {
    const f = smtpFailure(smtpError(451, 'EENVELOPE', '451 4.7.1 Greylisted, try again later'));
    expect(f.permanent).toBe(false);
    expect(f.message).toBe('SMTP 451: 451 4.7.1 Greylisted, try again later');
  });

  it('gives up on 5xx replies, keeping the address out of the reason', () => {
    const f = smtpFailure(
      smtpError(550, 'EENVELOPE', '550 5.1.1 <wang@edu.example>: Recipient address rejected'),
    );
    expect(f.permanent).toBe(true);
    expect(f.message).not.toContain('wang@edu.example');
  });

  it('retries connection failures', () => {
    expect(smtpFailure(smtpError(undefined, 'ECONNECTION', 'Connection closed')).permanent).toBe(false);
    expect(smtpFailure(smtpError(undefined, 'ETIMEDOUT', 'Greeting never received')).permanent).toBe(false);
  });
});
