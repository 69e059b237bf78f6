import { DomainError } from '@edu/contracts';

export enum NotificationErrorCode {
  MissingTemplateParameter = 'NOTIFICATION_MISSING_TEMPLATE_PARAMETER',
  ResidentIdInText = 'NOTIFICATION_RESIDENT_ID_IN_TEXT',
  UnknownTemplate = 'NOTIFICATION_UNKNOWN_TEMPLATE',
  InvalidTemplate = 'NOTIFICATION_INVALID_TEMPLATE',
  NotFound = 'NOTIFICATION_NOT_FOUND',
  NoReceiptEndpoint = 'NOTIFICATION_NO_RECEIPT_ENDPOINT',
  InvalidReceipts = 'NOTIFICATION_INVALID_RECEIPTS',
}

/** Rule violations of this feature; all permanent (a redelivered event would fail the same way). */
export const notificationError = {
  missingParameters: (template: string, names: string[]) =>
    new DomainError(
      NotificationErrorCode.MissingTemplateParameter,
      `notice template ${template} needs parameter(s): ${names.join(', ')}`,
    ),
  residentIdInText: (template: string) =>
    new DomainError(
      NotificationErrorCode.ResidentIdInText,
      `notice template ${template} rendered text shaped like a resident ID number; refused`,
    ),
  unknownTemplate: (template: string) =>
    new DomainError(NotificationErrorCode.UnknownTemplate, `no notice template ${template}`),
  invalidTemplate: (problem: string) =>
    new DomainError(NotificationErrorCode.InvalidTemplate, `notice template: ${problem}`),
  noReceiptEndpoint: (provider: string) =>
    new DomainError(
      NotificationErrorCode.NoReceiptEndpoint,
      `no SMS receipt endpoint ${provider}`,
      'not_found',
    ),
  invalidReceipts: (provider: string, problem: string) =>
    new DomainError(NotificationErrorCode.InvalidReceipts, `${provider} receipt push: ${problem}`),
  notFound: (id: string) =>
    new DomainError(NotificationErrorCode.NotFound, `notification ${id} not found`, 'not_found'),
};
