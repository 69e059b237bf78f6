import { DomainError } from '@edu/contracts';

export enum NotificationErrorCode {
  MissingTemplateParameter = 'NOTIFICATION_MISSING_TEMPLATE_PARAMETER',
  ResidentIdInText = 'NOTIFICATION_RESIDENT_ID_IN_TEXT',
  UnknownTemplate = 'NOTIFICATION_UNKNOWN_TEMPLATE',
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
};
