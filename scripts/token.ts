import { parseArgs } from 'node:util';
import { DEV_AUTH_DEFAULTS, ROLES, signToken, type Role } from '@edu/auth';

/**
 * Prints a development token:
 *   npm run token -- --role city_admin
 *   npm run token -- --role county_operator --county 150821
 * Uses JWT_SECRET / JWT_ISSUER / JWT_AUDIENCE when set, like the services.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'city_admin' },
    county: { type: 'string' },
    sub: { type: 'string', default: 'dev-user' },
    expires: { type: 'string', default: '12h' },
  },
});
const role = values.role as Role;
if (!ROLES.includes(role)) {
  process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n`);
  process.exit(2);
}
if (role === 'county_operator' && !/^\d{6}$/.test(values.county ?? '')) {
  process.stderr.write('--county must be a 6-digit county code for a county_operator\n');
  process.exit(2);
}
const env = process.env;
const token = await signToken(
  { sub: values.sub, role, ...(values.county ? { county: values.county } : {}) },
  {
    secret: env.JWT_SECRET || DEV_AUTH_DEFAULTS.secret,
    issuer: env.JWT_ISSUER || DEV_AUTH_DEFAULTS.issuer,
    audience: env.JWT_AUDIENCE || DEV_AUTH_DEFAULTS.audience,
  },
  values.expires,
);
process.stdout.write(`${token}\n`);
