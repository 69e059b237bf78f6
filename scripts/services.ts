/** The five services, their entry points and default ports: what `npm start` runs. */
export const SERVICES = [
  { name: 'dropout-control', port: 3001 },
  { name: 'student-aid', port: 3002 },
  { name: 'school-construction', port: 3003 },
  { name: 'supervision', port: 3004 },
  { name: 'notifications', port: 3005 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

export function entryOf(name: ServiceName): string {
  return `dist/apps/${name}/src/main.js`;
}
