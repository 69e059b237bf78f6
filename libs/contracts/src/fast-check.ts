import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage.js';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { createRequire } from 'node:module';

// class-transformer keeps its decorators' metadata here; it exports no accessor for it.
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
  defaultMetadataStorage: TransformerStorage;
};

/**
 * A quick yes for a payload that class-validator would accept, without its per-call
 * machinery (plainToInstance, a ValidationError per property, message formatting), which
 * was a tenth of the CPU a producer and a consumer spend per event.
 *
 * Built once per contract class from the class-validator metadata, it calls the very same
 * constraint functions (isUUID, matches, isIn, …) with the same arguments, in the way
 * `validateSync(…, { forbidUnknownValues: true })` does. It only ever answers "valid" or
 * "not sure": `false` sends the payload to class-validator, which decides and names the
 * fields. So the worst a gap here can cost is speed. Conditions (IsOptional, ValidateIf) are
 * called as class-validator calls them, with the payload as the object. A contract it cannot
 * mirror exactly (nested classes, class-transformer decorators, async constraints, IsDefined)
 * gets no quick check at all: `compileCheck` returns null.
 * The differential test (fast-check.spec.ts) holds it to class-validator on every contract.
 */
export type QuickCheck = (data: unknown) => boolean;

interface Constraint {
  validate(value: unknown, args: ValidationArguments): unknown;
}

interface PropertyCheck {
  property: string;
  /** IsOptional, ValidateIf: all must hold for the property to be validated at all. */
  conditions: ((object: object, value: unknown) => boolean)[];
  validators: { each: boolean; constraints: unknown[]; instances: Constraint[] }[];
}

export function compileCheck(cls: new () => object): QuickCheck | null {
  const storage = getMetadataStorage();
  // The same call class-validator's executor makes for validateSync without groups.
  const metadatas = storage.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false);
  if (metadatas.length === 0) return null;
  const checks: PropertyCheck[] = [];
  for (const [property, list] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (hasTransformerMetadata(cls, property)) return null;
    const check: PropertyCheck = { property, conditions: [], validators: [] };
    for (const m of list) {
      if ((m as { validateIf?: unknown }).validateIf) return null;
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        check.conditions.push(m.constraints[0] as PropertyCheck['conditions'][number]);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION) {
        const found = storage.getTargetValidatorConstraints(m.constraintCls);
        if (found.length === 0 || found.some((c) => c.async)) return null;
        check.validators.push({
          each: m.each === true,
          constraints: m.constraints,
          instances: found.map((c) => c.instance as Constraint),
        });
      } else {
        // Nested validation, IsDefined, whitelist or promise validation: not mirrored.
        return null;
      }
    }
    checks.push(check);
  }
  const targetName = cls.name;

  return (data: unknown): boolean => {
    if (!isPlainObject(data)) return false;
    const object = data as Record<string, unknown>;
    for (const { property, conditions, validators } of checks) {
      const value = object[property];
      if (!isJsonLike(value)) return false;
      if (!conditions.every((c) => c(object, value))) continue;
      for (const v of validators) {
        const args: ValidationArguments = {
          targetName,
          property,
          object,
          value,
          constraints: v.constraints,
        };
        if (v.each && Array.isArray(value)) {
          if (!v.instances.every((c) => value.every((item) => c.validate(item, args) === true))) return false;
        } else if (v.each && (value instanceof Set || value instanceof Map)) {
          return false;
        } else if (!v.instances.every((c) => c.validate(value, args) === true)) {
          return false;
        }
      }
    }
    return true;
  };
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** What JSON.parse yields: plainToInstance copies these as they are. Anything else: not sure. */
function isJsonLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null)
    return typeof value !== 'function' && typeof value !== 'symbol';
  return Array.isArray(value) ? Object.getPrototypeOf(value) === Array.prototype : isPlainObject(value);
}

/** A property that plainToInstance would convert, rename or drop. */
function hasTransformerMetadata(cls: new () => object, property: string): boolean {
  const s = defaultMetadataStorage;
  return (
    s.getStrategy(cls) !== 'none' ||
    s.findTypeMetadata(cls, property) !== undefined ||
    s.findExposeMetadata(cls, property) !== undefined ||
    s.findExcludeMetadata(cls, property) !== undefined ||
    // 0: TransformationType.PLAIN_TO_CLASS
    s.findTransformMetadatas(cls, property, 0).length > 0
  );
}
