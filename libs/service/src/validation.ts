import { residentIdProblem } from '@edu/contracts';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A valid resident ID number (MOD 11-2 check character and birth date); the message never echoes it. */
export function IsResidentId(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isResidentId',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && residentIdProblem(value) === null,
        defaultMessage: (args) => {
          const problem = typeof args?.value === 'string' ? residentIdProblem(args.value) : 'format';
          const why = {
            format: 'must be 18 characters, 17 digits then a digit or X',
            birth_date: 'has an impossible birth date',
            check_digit: 'has a wrong check digit',
          }[problem ?? 'format'];
          return `${args?.property ?? propertyName} is not a valid resident ID number: it ${why}`;
        },
      },
    });
}
