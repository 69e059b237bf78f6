import { RESIDENT_ID_PATTERN, type Channel, type NoticeKind } from '@edu/contracts';
import { notificationError } from './notification.errors.js';
import type { NoticeValues } from './render-notice.js';
import { isUrgentNotice } from './send-window.js';

export interface NoticeAttachmentFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * The documents a request carries, decoded. An HTML document is checked for resident ID
 * numbers like the rendered text (and refused the same way); a PDF is compressed and cannot be.
 */
export function decodeAttachments(
  list: readonly { filename: string; contentType: string; contentBase64: string }[],
): NoticeAttachmentFile[] {
  return list.map((a) => {
    const content = Buffer.from(a.contentBase64, 'base64');
    if (a.contentType === 'text/html' && RESIDENT_ID_PATTERN.test(content.toString('utf8'))) {
      throw notificationError.residentIdInText(`attachment ${a.filename}`);
    }
    return { filename: a.filename, contentType: a.contentType, content };
  });
}

export interface NoticeRequestProps {
  requestId: string;
  kind: NoticeKind;
  escalationId: string;
  countyCode: string;
  officialId: string;
  recipientName: string;
  recipientTitle: string;
  phone: string | null;
  email: string | null;
  /** The channels supervision asked for; the other one is only a fallback. */
  channels: Channel[];
  params: Record<string, string | number | boolean>;
  urgent: boolean;
  correlationId: string;
  causeEventId: string;
  createdAt: Date;
}

/**
 * A request to tell one official one notice, kept so a message that fails for good can be
 * sent again over the other channel with the same values.
 */
export class NoticeRequest {
  private constructor(readonly props: Readonly<NoticeRequestProps>) {}

  static accept(p: Omit<NoticeRequestProps, 'urgent'>): NoticeRequest {
    return new NoticeRequest({ ...p, urgent: isUrgentNotice(p.kind, p.params) });
  }

  static restore(p: NoticeRequestProps): NoticeRequest {
    return new NoticeRequest({ ...p });
  }

  addressFor(channel: Channel): string | null {
    switch (channel) {
      case 'sms':
        return this.props.phone;
      case 'email':
        return this.props.email;
    }
  }

  /**
   * The values templates are rendered with: the request's params, who it is for, and the
   * bureau's signature (an SMS template's own signature takes its place in SMS).
   */
  values(signName: string): NoticeValues {
    const p = this.props;
    return {
      ...p.params,
      escalationId: p.escalationId,
      recipientName: p.recipientName,
      recipientTitle: p.recipientTitle,
      signName,
    };
  }

  /**
   * Where to try when `failed` failed for good: the other channel, if the official has an
   * address on it and the request has no message there yet (asked for, or an earlier fallback).
   */
  fallbackFor(
    failed: Channel,
    channelsInUse: readonly Channel[],
  ): { channel: Channel; address: string } | null {
    const other: Channel = failed === 'sms' ? 'email' : 'sms';
    if (channelsInUse.includes(other)) return null;
    const address = this.addressFor(other);
    return address ? { channel: other, address } : null;
  }
}
