import { z } from 'zod'

type Schema = z.core.$ZodType

export interface KnownKeys {
  keys: string[]
  /** For an entry of a union by `kind`: the keys of the other kinds, labelled "kind: ollama". */
  elsewhere: { label: string; keys: string[] }[]
}

function unwrap(schema: Schema): Schema {
  let s = schema
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap()
    } else if (s instanceof z.ZodPipe) s = s.in
    else return s
  }
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function discriminatorValue(option: Schema, discriminator: string): string | undefined {
  if (!(option instanceof z.ZodObject)) return undefined
  const literal = (option.shape as Record<string, Schema>)[discriminator]
  if (!(literal instanceof z.ZodLiteral)) return undefined
  const [first] = [...literal.values]
  return typeof first === 'string' ? first : undefined
}

/** The option of a union by discriminator that this data chose, and the ones it did not. */
function chooseOption(
  union: z.ZodDiscriminatedUnion,
  data: unknown
): { chosen: Schema | undefined; others: Schema[] } {
  const discriminator = union.def.discriminator
  const given = isRecordLike(data) ? data[discriminator] : undefined
  const options = union.options as readonly Schema[]
  const chosen = options.find((o) => discriminatorValue(o, discriminator) === given)
  return { chosen, others: options.filter((o) => o !== chosen) }
}

/**
 * The keys the schema allows in the mapping at `path` of `data`, for "did you mean" suggestions
 * on unknown keys. Follows the data through unions by `kind`, since each kind has its own keys.
 */
export function knownKeysAt(
  root: Schema,
  path: readonly PropertyKey[],
  data: unknown
): KnownKeys | undefined {
  let schema: Schema | undefined = root
  let value = data
  let others: Schema[] = []
  let discriminator = ''
  for (let i = 0; ; i++) {
    if (!schema) return undefined
    schema = unwrap(schema)
    others = []
    if (schema instanceof z.ZodDiscriminatedUnion) {
      discriminator = schema.def.discriminator
      const choice = chooseOption(schema, value)
      schema = choice.chosen
      others = choice.others
      if (!schema) return undefined
    }
    if (i === path.length) break
    const seg = path[i]
    value = isRecordLike(value) ? value[seg as string] : undefined
    if (schema instanceof z.ZodObject) {
      schema = (schema.shape as Record<string, Schema>)[String(seg)]
    } else if (schema instanceof z.ZodArray) schema = schema.element
    else if (schema instanceof z.ZodRecord) schema = schema.valueType
    else return undefined
  }
  if (!(schema instanceof z.ZodObject)) return undefined
  return {
    keys: Object.keys(schema.shape),
    elsewhere: others.flatMap((o) =>
      o instanceof z.ZodObject
        ? [
            {
              label: `${discriminator}: ${discriminatorValue(o, discriminator) ?? '?'}`,
              keys: Object.keys(o.shape)
            }
          ]
        : []
    )
  }
}
