/**
 * GORM models as GORM itself would parse them (gorm schema/schema.go, schema/field.go, schema/index.go), read from
 * plain Go declarations: which structs are models, their tables, and every column with the type GORM's MySQL driver
 * gives it. Where source text alone cannot tell (a computed table name, a type from a package that was not read), the
 * model or column carries a note saying so instead of a guess.
 */
import type { GoField, GoFile, GoType, GoTypeDeclaration } from './go-declarations';
import { structTagValue } from './go-declarations';
import { gormIndexName, gormTableName, gormUniqueName, toDBName } from './gorm-naming';
import { parseTagSettings, tagIsTrue, type GormDataType, type GormTypeInput } from './gorm-types';

const GORM_IMPORT = 'gorm.io/gorm';

/** An index a model declares (`index`, `uniqueIndex`, `unique`), with its columns in priority order. */
export interface ModelIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

export interface ModelColumn extends GormTypeInput {
  /** The Go field, dotted through embedded structs: `Email`, `Author.Email`. */
  readonly field: string;
  readonly column: string;
  /** The Go type as written. */
  readonly goType: string;
  /** A pointer or sql.Null*: the field can hold NULL. */
  readonly nullableField: boolean;
  /** `size:` given in the tag: the length is stated, not defaulted. */
  readonly explicitSize: boolean;
  /** The verbatim `type:` tag. */
  readonly typeTag: string | undefined;
  /** `autoIncrement:false`: an integer id primary key without AUTO_INCREMENT. */
  readonly autoIncrementDisabled: boolean;
  /** CreatedAt / UpdatedAt (or `autoCreateTime` / `autoUpdateTime`): GORM sets it on every save, never to NULL. */
  readonly autoTime: boolean;
  /** `-:migration`: GORM reads and writes it, AutoMigrate never creates or changes it. */
  readonly ignoredByMigration: boolean;
  /** Why the column's type is not known (a type from a package that was not read); undefined when it is. */
  readonly typeUnknown: string | undefined;
  readonly file: string;
  readonly line: number;
}

export interface GormModel {
  readonly name: string;
  readonly packageName: string;
  readonly table: string;
  /** Why the table name is not certain (`TableName()` computes it); undefined when it is. */
  readonly tableUncertain: string | undefined;
  readonly columns: readonly ModelColumn[];
  readonly indexes: readonly ModelIndex[];
  readonly file: string;
  readonly line: number;
  /** The struct's own field list, for edits: the file's lines of its braces and its direct fields. */
  readonly braces: { readonly open: number; readonly close: number } | undefined;
  readonly fields: readonly GoField[];
  /** Fields whose column cannot be known from the source, each with the reason. */
  readonly notes: readonly ModelNote[];
}

export interface ModelNote {
  readonly field: string;
  readonly message: string;
  /** Where the field shows (see `Context.at`). */
  readonly file: string;
  readonly line: number;
}

/** A type declared in a package that was read, with where it is. */
interface Declared {
  readonly file: GoFile;
  readonly declaration: GoTypeDeclaration;
}

/** The Go basic kinds GORM maps, with their bit sizes. */
const BASIC_KINDS: Readonly<Record<string, { readonly type: GormDataType; readonly size: number }>> = {
  bool: { type: 'bool', size: 0 },
  string: { type: 'string', size: 0 },
  int: { type: 'int', size: 64 },
  int8: { type: 'int', size: 8 },
  int16: { type: 'int', size: 16 },
  int32: { type: 'int', size: 32 },
  rune: { type: 'int', size: 32 },
  int64: { type: 'int', size: 64 },
  uint: { type: 'uint', size: 64 },
  uint8: { type: 'uint', size: 8 },
  byte: { type: 'uint', size: 8 },
  uint16: { type: 'uint', size: 16 },
  uint32: { type: 'uint', size: 32 },
  uint64: { type: 'uint', size: 64 },
  uintptr: { type: 'uint', size: 64 },
  float32: { type: 'float', size: 32 },
  float64: { type: 'float', size: 64 },
};

/**
 * Types of well-known packages GORM maps through driver.Valuer or GormDataType: the type of a zero value's Value()
 * (sql.Null*: the first field's), and whether they hold NULL. Keyed by import path and type name.
 */
const KNOWN_TYPES: Readonly<
  Record<string, { readonly type: GormDataType; readonly size: number; readonly nullable: boolean }>
> = {
  'time Time': { type: 'time', size: 0, nullable: false },
  'database/sql NullString': { type: 'string', size: 0, nullable: true },
  'database/sql NullInt64': { type: 'int', size: 64, nullable: true },
  'database/sql NullInt32': { type: 'int', size: 32, nullable: true },
  'database/sql NullInt16': { type: 'int', size: 16, nullable: true },
  'database/sql NullByte': { type: 'uint', size: 8, nullable: true },
  'database/sql NullFloat64': { type: 'float', size: 64, nullable: true },
  'database/sql NullBool': { type: 'bool', size: 0, nullable: true },
  'database/sql NullTime': { type: 'time', size: 0, nullable: true },
  'gorm.io/gorm DeletedAt': { type: 'time', size: 0, nullable: true },
  'encoding/json RawMessage': { type: 'bytes', size: 0, nullable: false },
  'gorm.io/datatypes JSON': { type: { custom: 'JSON' }, size: 0, nullable: false },
  'gorm.io/datatypes Date': { type: 'time', size: 0, nullable: false },
  'github.com/google/uuid UUID': { type: 'string', size: 0, nullable: false },
  'github.com/shopspring/decimal Decimal': { type: 'string', size: 0, nullable: false },
};

/** gorm.Model's fields: `ID uint` primary key, `CreatedAt`, `UpdatedAt`, and `DeletedAt` with an index. */
const GORM_MODEL_FIELDS: readonly { name: string; type: string; tag?: string }[] = [
  { name: 'ID', type: 'uint', tag: 'primarykey' },
  { name: 'CreatedAt', type: 'time.Time' },
  { name: 'UpdatedAt', type: 'time.Time' },
  { name: 'DeletedAt', type: 'gorm.DeletedAt', tag: 'index' },
];

/** gorm.Model's package, as the types of its fields are resolved. */
const GORM_MODEL_FILE: GoFile = {
  path: 'gorm.io/gorm/model.go',
  folder: 'gorm.io/gorm',
  packageName: 'gorm',
  imports: [
    { name: 'time', path: 'time' },
    { name: 'gorm', path: GORM_IMPORT },
  ],
  types: [],
  methods: [],
  modelUses: [],
  hasSyntaxErrors: false,
};

const isExported = (name: string) => /^\p{Lu}/u.test(name);

/** The models GORM would see in `files`: every struct that is one (see `models()`), with its table and columns. */
export function gormModels(files: readonly GoFile[]): GormModel[] {
  return new GormModelIndex().models(files);
}

/**
 * A model as built, and the names it looked up (`folder\nname`, types and methods' receivers alike; '*' for a
 * qualified type found nowhere): it stays right until a file declaring one of those names changes.
 */
interface BuiltModel {
  readonly model: GormModel;
  readonly names: ReadonlySet<string>;
}

function nameKey(folder: string, name: string): string {
  return `${folder}\n${name}`;
}

/**
 * The models of a set of Go files, kept between calls: a model is built again only when its own file changed or a
 * file that declares (or declared) a name it looked up did (files are compared by identity: an unchanged file keeps
 * its GoFile), so saving one file of a large service rebuilds the few models that depend on it.
 */
export class GormModelIndex {
  private files = new Set<GoFile>();
  private built = new Map<GoTypeDeclaration, BuiltModel>();
  private readonly declarations = new Declarations();

  models(files: readonly GoFile[]): GormModel[] {
    const current = new Set(files);
    const changed = new Set<string>();
    const declaredIn = (file: GoFile) => {
      for (const declaration of file.types) changed.add(nameKey(file.folder, declaration.name));
      for (const method of file.methods) changed.add(nameKey(file.folder, method.receiver));
    };
    for (const file of this.files) {
      if (current.has(file)) continue;
      declaredIn(file);
      this.declarations.remove(file);
    }
    for (const file of current) {
      if (this.files.has(file)) continue;
      declaredIn(file);
      this.declarations.add(file);
    }
    const reader = new ModelReader(files, this.declarations, this.built, changed);
    const models = reader.models();
    this.files = current;
    this.built = reader.builtNow;
    return models;
  }
}

/** The types and methods of the files read, by folder and by name, kept up to date file by file. */
class Declarations {
  readonly byPackage = new Map<string, Map<string, Declared>>();
  /** Every declaration of a name, for qualified names (`models.User`). */
  readonly byName = new Map<string, Declared[]>();
  /** Folder -> receiver type -> method -> the string it returns. */
  readonly methods = new Map<string, Map<string, Map<string, string | undefined>>>();

  add(file: GoFile): void {
    let types = this.byPackage.get(file.folder);
    if (!types) this.byPackage.set(file.folder, (types = new Map<string, Declared>()));
    for (const declaration of file.types) {
      const declared = { file, declaration };
      types.set(declaration.name, declared);
      const named = this.byName.get(declaration.name);
      if (named) named.push(declared);
      else this.byName.set(declaration.name, [declared]);
    }
    if (file.methods.length === 0) return;
    let receivers = this.methods.get(file.folder);
    if (!receivers) {
      this.methods.set(file.folder, (receivers = new Map<string, Map<string, string | undefined>>()));
    }
    for (const method of file.methods) {
      let methods = receivers.get(method.receiver);
      if (!methods) receivers.set(method.receiver, (methods = new Map<string, string | undefined>()));
      methods.set(method.name, method.returnedString);
    }
  }

  remove(file: GoFile): void {
    const types = this.byPackage.get(file.folder);
    for (const declaration of file.types) {
      if (types?.get(declaration.name)?.file === file) types.delete(declaration.name);
      const named = this.byName.get(declaration.name)?.filter((declared) => declared.file !== file) ?? [];
      if (named.length > 0) this.byName.set(declaration.name, named);
      else this.byName.delete(declaration.name);
    }
    const receivers = this.methods.get(file.folder);
    for (const method of file.methods) receivers?.get(method.receiver)?.delete(method.name);
  }
}

/** What classifying a field's Go type gives. */
type FieldKind =
  | { readonly kind: 'column'; readonly type: GormDataType; readonly size: number; readonly nullable: boolean }
  | { readonly kind: 'unknown'; readonly nullable: boolean; readonly reason: string }
  | { readonly kind: 'relation' }
  | { readonly kind: 'unsupported'; readonly reason: string };

interface Context {
  /** The file the fields' types are resolved in. */
  readonly file: GoFile;
  /** Where the fields show: their own file, or for gorm.Model's the line that embeds it. */
  readonly at: { readonly file: string; readonly line: number } | undefined;
  readonly table: string;
  readonly prefix: string;
  readonly path: string;
  /** Types being flattened, so a struct that embeds itself stops. */
  readonly seen: ReadonlySet<string>;
}

interface RawIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly priority: number;
  readonly column: string;
  readonly order: number;
}

class ModelReader {
  /** The names the model being built looks up; undefined while telling which structs are models. */
  private consulted: Set<string> | undefined;
  readonly builtNow = new Map<GoTypeDeclaration, BuiltModel>();

  constructor(
    private readonly files: readonly GoFile[],
    private readonly declarations: Declarations,
    private readonly builtBefore: ReadonlyMap<GoTypeDeclaration, BuiltModel> = new Map(),
    private readonly changedNames: ReadonlySet<string> = new Set(),
  ) {}

  models(): GormModel[] {
    const used = new Set<GoTypeDeclaration>();
    for (const file of this.files) {
      for (const use of file.modelUses) {
        const declared = this.resolve(file, use.package, use.name);
        if (declared) used.add(declared.declaration);
      }
    }
    const embedded = new Set<GoTypeDeclaration>();
    for (const file of this.files) {
      for (const type of this.factsOf(file).embeddedTypes) {
        const target = this.structOf(file, type);
        if (target) embedded.add(target.declaration);
      }
    }
    const models: GormModel[] = [];
    for (const file of this.files) {
      const { structs, tagged } = this.factsOf(file);
      for (const declaration of structs) {
        const declared = { file, declaration };
        const model =
          used.has(declaration) ||
          this.declarations.methods.get(file.folder)?.get(declaration.name)?.has('TableName') === true ||
          (!embedded.has(declaration) && tagged.has(declaration));
        if (model) models.push(this.builtModel(declared));
      }
    }
    return models.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  }

  /**
   * What a file alone says about model candidates: its exported structs, those that look like models, the types its
   * structs embed (gorm.Model aside). Read once per file.
   */
  private factsOf(file: GoFile): FileFacts {
    let facts = factsOfFiles.get(file);
    if (facts) return facts;
    const structs: GoTypeDeclaration[] = [];
    const tagged = new Set<GoTypeDeclaration>();
    const embeddedTypes: GoType[] = [];
    for (const declaration of file.types) {
      if (declaration.type.kind !== 'struct') continue;
      if (isExported(declaration.name)) structs.push(declaration);
      if (this.looksLikeModel({ file, declaration })) tagged.add(declaration);
      for (const field of declaration.type.fields) {
        const mayEmbed = field.names.length === 0 || /embedded/i.test(field.tag ?? '');
        if (!mayEmbed || (field.names.length > 0 && !gormSettings(field).has('EMBEDDED'))) continue;
        if (!this.isGormModel(file, field.type)) embeddedTypes.push(field.type);
      }
    }
    facts = { structs, tagged, embeddedTypes };
    factsOfFiles.set(file, facts);
    return facts;
  }

  /** The model of a declaration: the one built before when no name it looked up changed. */
  private builtModel(declared: Declared): GormModel {
    const before = this.builtBefore.get(declared.declaration);
    const stale = (name: string) => (name === '*' ? this.changedNames.size > 0 : this.changedNames.has(name));
    if (before && ![...before.names].some(stale)) {
      this.builtNow.set(declared.declaration, before);
      return before.model;
    }
    const consulted = new Set<string>();
    this.consulted = consulted;
    const model = this.model(declared);
    this.builtNow.set(declared.declaration, { model, names: consulted });
    this.consulted = undefined;
    return model;
  }

  /** Embeds gorm.Model or carries a `gorm:"..."` tag. */
  private looksLikeModel({ file, declaration }: Declared): boolean {
    if (declaration.type.kind !== 'struct') return false;
    return declaration.type.fields.some(
      (field) =>
        (field.tag?.includes('gorm:') === true && structTagValue(field.tag, 'gorm') !== undefined) ||
        (field.names.length === 0 && this.isGormModel(file, field.type)),
    );
  }

  private model(declared: Declared): GormModel {
    const { file, declaration } = declared;
    const methods = this.methodsOf(declared);
    let table = gormTableName(declaration.name);
    let tableUncertain: string | undefined;
    if (methods.has('TableName')) {
      const returned = methods.get('TableName');
      if (returned === undefined) {
        tableUncertain = `${declaration.name}.TableName() does not return a string literal: its table is taken to be ${table}`;
      } else {
        table = returned;
      }
    }
    const columns: ModelColumn[] = [];
    const notes: ModelNote[] = [];
    const indexes: RawIndex[] = [];
    const fields = declaration.type.kind === 'struct' ? declaration.type.fields : [];
    this.flatten(
      fields,
      { file, at: undefined, table, prefix: '', path: '', seen: new Set([keyOf(declared)]) },
      columns,
      notes,
      indexes,
    );
    const primaryKeys = columns.filter((column) => column.primaryKey);
    const withKeys =
      primaryKeys.length > 0
        ? columns
        : columns.map((column) => (column.column === 'id' ? withPrimaryKey(column) : column));
    const keys = withKeys.filter((column) => column.primaryKey);
    const autoIncremented = withKeys.map((column) =>
      column.primaryKey &&
      (column.column === 'id' || keys.length === 1) &&
      (column.dataType === 'int' || column.dataType === 'uint') &&
      !column.autoIncrementDisabled
        ? { ...column, autoIncrement: true }
        : column,
    );
    return {
      name: declaration.name,
      packageName: file.packageName,
      table,
      tableUncertain,
      columns: autoIncremented,
      indexes: mergeIndexes(indexes),
      file: file.path,
      line: declaration.line,
      braces: declaration.braces,
      fields,
      notes,
    };
  }

  private flatten(
    fields: readonly GoField[],
    context: Context,
    columns: ModelColumn[],
    notes: ModelNote[],
    indexes: RawIndex[],
  ): void {
    for (const field of fields) {
      const settings = gormSettings(field);
      const names = field.names.length > 0 ? field.names : [embeddedName(field.type)];
      for (const name of names) {
        if (!isExported(name)) continue;
        const ignore = settings.get('-')?.trim().toLowerCase();
        if (ignore === '-' || ignore === 'all') continue;
        const path = context.path === '' ? name : `${context.path}.${name}`;
        const embeddedTag = settings.has('EMBEDDED');
        if (field.names.length === 0 || embeddedTag) {
          // An anonymous struct's fields are promoted (User.ID); an `embedded` named one's are not (User.Author.Name).
          const innerPath = field.names.length === 0 ? context.path : path;
          if (field.names.length === 0 && this.isGormModel(context.file, field.type)) {
            const at = context.at ?? { file: context.file.path, line: field.line };
            this.flatten(
              GORM_MODEL_GO_FIELDS,
              { ...context, file: GORM_MODEL_FILE, at, path: innerPath },
              columns,
              notes,
              indexes,
            );
            continue;
          }
          const target = this.structOf(context.file, field.type);
          if (target && !context.seen.has(keyOf(target)) && this.isPlainStruct(target)) {
            const prefix = context.prefix + (settings.get('EMBEDDEDPREFIX') ?? '');
            const inner = target.declaration.type.kind === 'struct' ? target.declaration.type.fields : [];
            this.flatten(
              inner,
              {
                file: target.file,
                at: context.at,
                table: context.table,
                prefix,
                path: innerPath,
                seen: new Set([...context.seen, keyOf(target)]),
              },
              columns,
              notes,
              indexes,
            );
            continue;
          }
          if (embeddedTag || !this.isColumnType(context.file, field.type)) {
            notes.push({
              field: path,
              ...placeOf(field, context),
              message: `${path}: embedded type ${field.type.text} was not found in the Go files read, so its columns are not known`,
            });
            continue;
          }
        }
        const column = this.column(field, name, path, settings, context, notes);
        if (!column) continue;
        columns.push(column);
        indexes.push(...fieldIndexes(field, name, column.column, settings, context.table, indexes.length));
      }
    }
  }

  private column(
    field: GoField,
    name: string,
    path: string,
    settings: ReadonlyMap<string, string>,
    context: Context,
    notes: ModelNote[],
  ): ModelColumn | undefined {
    const serializer = settings.has('SERIALIZER') || settings.has('JSON');
    let kind = this.classify(context.file, field.type, new Set());
    if (serializer)
      kind = { kind: 'column', type: 'string', size: 0, nullable: kind.kind === 'column' && kind.nullable };
    if (kind.kind === 'relation') return undefined;
    if (kind.kind === 'unsupported') {
      notes.push({ field: path, ...placeOf(field, context), message: `${path}: ${kind.reason}` });
      return undefined;
    }
    const column = context.prefix + (settings.get('COLUMN') ?? toDBName(name));
    const typeTag = settings.get('TYPE');
    let dataType: GormDataType = kind.kind === 'column' ? kind.type : { custom: '' };
    if (typeTag !== undefined) {
      const lower = typeTag.toLowerCase();
      dataType = ['bool', 'int', 'uint', 'float', 'string', 'time', 'bytes'].includes(lower)
        ? (lower as GormDataType)
        : { custom: typeTag };
    }
    const sizeTag = settings.get('SIZE');
    const parsedSize = sizeTag === undefined ? undefined : /^-?\d+$/.test(sizeTag.trim()) ? Number(sizeTag) : -1;
    const precisionTag = settings.get('PRECISION');
    const defaultTag = settings.get('DEFAULT');
    const trimmedDefault = defaultTag?.trim();
    const defaultValue =
      dataType === 'string' && trimmedDefault !== undefined && !/\(.*\)/.test(trimmedDefault)
        ? trimmedDefault.replace(/^'+|'+$/g, '').replace(/^"+|"+$/g, '')
        : trimmedDefault;
    const autoIncrementTag = settings.get('AUTOINCREMENT');
    const timeLike = dataType === 'time' || dataType === 'int' || dataType === 'uint';
    const autoTime = (['CreatedAt', 'UpdatedAt'] as const).some((fieldName) => {
      const tag = settings.get(fieldName === 'CreatedAt' ? 'AUTOCREATETIME' : 'AUTOUPDATETIME');
      return tag !== undefined ? tagIsTrue(tag) : name === fieldName && timeLike;
    });
    return {
      field: path,
      column,
      goType: field.type.text,
      dataType,
      size: parsedSize ?? (kind.kind === 'column' ? kind.size : 0),
      explicitSize: parsedSize !== undefined,
      precision: Number(precisionTag ?? 0) || 0,
      scale: Number(settings.get('SCALE') ?? 0) || 0,
      hasPrecisionTag: precisionTag !== undefined,
      primaryKey: tagIsTrue(settings.get('PRIMARYKEY'), settings.get('PRIMARY_KEY')),
      autoIncrement: tagIsTrue(autoIncrementTag),
      autoIncrementDisabled: autoIncrementTag !== undefined && autoIncrementTag.toLowerCase() === 'false',
      notNull: tagIsTrue(settings.get('NOT NULL'), settings.get('NOTNULL')),
      hasDefault: defaultTag !== undefined || tagIsTrue(autoIncrementTag),
      defaultValue,
      indexedForSize: (settings.get('INDEX') ?? '') !== '' || (settings.get('UNIQUE') ?? '') !== '',
      nullableField: kind.nullable,
      typeTag,
      autoTime,
      ignoredByMigration: settings.get('-')?.trim().toLowerCase() === 'migration',
      typeUnknown: kind.kind === 'unknown' && typeTag === undefined ? kind.reason : undefined,
      ...placeOf(field, context),
    };
  }

  /** A field's Go type as GORM treats it: a column of some data type, a relation, or neither. */
  private classify(file: GoFile, type: GoType, seen: Set<string>): FieldKind {
    switch (type.kind) {
      case 'pointer': {
        const inner = this.classify(file, type.element, seen);
        return inner.kind === 'column' || inner.kind === 'unknown' ? { ...inner, nullable: true } : inner;
      }
      case 'slice':
      case 'array': {
        const element = type.element;
        if (element.kind === 'named' && element.package === undefined && ['byte', 'uint8'].includes(element.name)) {
          return { kind: 'column', type: 'bytes', size: 0, nullable: false };
        }
        if (type.kind === 'slice' && this.isRelationTarget(file, element)) return { kind: 'relation' };
        return {
          kind: 'unsupported',
          reason: `GORM cannot store ${type.text} without a serializer (unsupported data type): no column`,
        };
      }
      case 'map':
        return { kind: 'unsupported', reason: `GORM cannot store ${type.text} without a serializer: no column` };
      case 'struct':
      case 'other':
        return { kind: 'unknown', nullable: false, reason: `the type ${type.text} is not one GORM maps to a column` };
      case 'named':
        return this.classifyNamed(file, type, seen);
    }
  }

  private classifyNamed(file: GoFile, type: Extract<GoType, { kind: 'named' }>, seen: Set<string>): FieldKind {
    if (type.package === undefined && type.name in BASIC_KINDS) {
      const basic = BASIC_KINDS[type.name];
      return { kind: 'column', type: basic.type, size: basic.size, nullable: false };
    }
    const importPath =
      type.package === undefined ? undefined : file.imports.find((entry) => entry.name === type.package)?.path;
    if (importPath === 'database/sql' && type.name === 'Null' && type.typeArguments.length === 1) {
      const inner = this.classify(file, type.typeArguments[0], seen);
      return inner.kind === 'column' || inner.kind === 'unknown' ? { ...inner, nullable: true } : inner;
    }
    const known = importPath === undefined ? undefined : KNOWN_TYPES[`${importPath} ${type.name}`];
    if (known) return { kind: 'column', ...known };
    const declared = this.resolve(file, type.package, type.name);
    if (!declared) {
      return {
        kind: 'unknown',
        nullable: false,
        reason: `the type ${type.text} was not found in the Go files read, so its column type is not known`,
      };
    }
    const key = keyOf(declared);
    const methods = this.methodsOf(declared);
    if (methods.has('GormDataType')) {
      const returned = methods.get('GormDataType');
      if (returned !== undefined) {
        const lower = returned.toLowerCase();
        const own = ['bool', 'int', 'uint', 'float', 'string', 'time', 'bytes'].includes(lower);
        return { kind: 'column', type: own ? (lower as GormDataType) : { custom: returned }, size: 0, nullable: false };
      }
      return {
        kind: 'unknown',
        nullable: false,
        reason: `${type.text}.GormDataType() does not return a string literal`,
      };
    }
    const underlying = declared.declaration.type;
    if (underlying.kind === 'struct') {
      if (methods.has('Value')) {
        return {
          kind: 'unknown',
          nullable: false,
          reason: `${type.text} is stored through its Value() method, whose type is not known`,
        };
      }
      return { kind: 'relation' };
    }
    if (seen.has(key))
      return { kind: 'unknown', nullable: false, reason: `${type.text} is defined in terms of itself` };
    const inner = this.classify(declared.file, underlying, new Set([...seen, key]));
    if (methods.has('Value') && inner.kind !== 'column') {
      return {
        kind: 'unknown',
        nullable: false,
        reason: `${type.text} is stored through its Value() method, whose type is not known`,
      };
    }
    return inner;
  }

  /** A struct (or pointer to one) declared in the files read that is not a column type: the other side of a relation. */
  private isRelationTarget(file: GoFile, type: GoType): boolean {
    const target = this.structOf(file, type);
    return target !== undefined && this.isPlainStruct(target);
  }

  private isPlainStruct(declared: Declared): boolean {
    const methods = this.methodsOf(declared);
    return declared.declaration.type.kind === 'struct' && !methods.has('Value') && !methods.has('GormDataType');
  }

  /** Whether an embedded type is one GORM stores as one column (time.Time, a Valuer, a named basic type). */
  private isColumnType(file: GoFile, type: GoType): boolean {
    return this.classify(file, type, new Set()).kind === 'column';
  }

  private structOf(file: GoFile, type: GoType): Declared | undefined {
    const named = type.kind === 'pointer' ? type.element : type;
    if (named.kind !== 'named') return undefined;
    const declared = this.resolve(file, named.package, named.name);
    return declared?.declaration.type.kind === 'struct' ? declared : undefined;
  }

  private isGormModel(file: GoFile, type: GoType): boolean {
    const named = type.kind === 'pointer' ? type.element : type;
    return (
      named.kind === 'named' &&
      named.name === 'Model' &&
      named.package !== undefined &&
      file.imports.some((entry) => entry.name === named.package && entry.path === GORM_IMPORT)
    );
  }

  /** A type by its name in `file`: of the file's own package, or of a package read whose name the qualifier imports. */
  private resolve(file: GoFile, qualifier: string | undefined, name: string): Declared | undefined {
    if (qualifier === undefined) {
      this.consulted?.add(nameKey(file.folder, name));
      return this.declarations.byPackage.get(file.folder)?.get(name);
    }
    const importPath = file.imports.find((entry) => entry.name === qualifier)?.path;
    if (importPath === undefined) return undefined;
    const lastElement = importPath.slice(importPath.lastIndexOf('/') + 1);
    for (const declared of this.declarations.byName.get(name) ?? []) {
      const folderName = declared.file.folder
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop();
      if (declared.file.packageName === qualifier || folderName === lastElement) {
        this.consulted?.add(nameKey(declared.file.folder, name));
        return declared;
      }
    }
    // A file added anywhere may declare it.
    this.consulted?.add('*');
    return undefined;
  }

  private methodsOf(declared: Declared): ReadonlyMap<string, string | undefined> {
    this.consulted?.add(nameKey(declared.file.folder, declared.declaration.name));
    return this.declarations.methods.get(declared.file.folder)?.get(declared.declaration.name) ?? NO_METHODS;
  }
}

const NO_METHODS: ReadonlyMap<string, string | undefined> = new Map();

interface FileFacts {
  readonly structs: readonly GoTypeDeclaration[];
  readonly tagged: ReadonlySet<GoTypeDeclaration>;
  readonly embeddedTypes: readonly GoType[];
}

const factsOfFiles = new WeakMap<GoFile, FileFacts>();

function keyOf(declared: Declared): string {
  return nameKey(declared.file.folder, declared.declaration.name);
}

/**
 * Settings by tag text: a service repeats a few tags (`gorm:"size:255;not null"`) over thousands of fields, and each
 * file read anew makes new fields. Emptied when it grows past what any service's distinct tags come to.
 */
const settingsOfTags = new Map<string, ReadonlyMap<string, string>>();
const MOST_TAGS_KEPT = 20_000;
const NO_SETTINGS: ReadonlyMap<string, string> = new Map();

/** A field's `gorm:"..."` settings, read once per distinct tag. */
function gormSettings(field: GoField): ReadonlyMap<string, string> {
  if (field.tag === undefined) return NO_SETTINGS;
  let settings = settingsOfTags.get(field.tag);
  if (!settings) {
    if (settingsOfTags.size >= MOST_TAGS_KEPT) settingsOfTags.clear();
    settings = parseTagSettings(structTagValue(field.tag, 'gorm') ?? '');
    settingsOfTags.set(field.tag, settings);
  }
  return settings;
}

/** Where a field's column or note shows: its own line, or the line that embeds gorm.Model. */
function placeOf(field: GoField, context: Context): { readonly file: string; readonly line: number } {
  return { file: context.at?.file ?? context.file.path, line: context.at?.line ?? field.line };
}

/** An embedded field's implicit name: the type's name without package or `*`. */
function embeddedName(type: GoType): string {
  const named = type.kind === 'pointer' ? type.element : type;
  return named.kind === 'named' ? named.name : type.text;
}

function withPrimaryKey<T extends ModelColumn>(column: T): T {
  return { ...column, primaryKey: true };
}

/** gorm.Model's fields as Go fields, made once (their settings are then read once). */
const GORM_MODEL_GO_FIELDS: readonly GoField[] = GORM_MODEL_FIELDS.map(gormModelField);

function gormModelField({ name, type, tag }: (typeof GORM_MODEL_FIELDS)[number]): GoField {
  const [qualifier, typeName] = type.includes('.') ? type.split('.') : [undefined, type];
  return {
    names: [name],
    type: { kind: 'named', text: type, package: qualifier, name: typeName, typeArguments: [] },
    tagLiteral: tag && `\`gorm:"${tag}"\``,
    tag: tag && `gorm:"${tag}"`,
    comment: undefined,
    line: 0,
    endLine: 0,
  };
}

/** schema/index.go parseFieldIndexes: every `index` / `uniqueIndex` of a field, and a `unique` constraint. */
function fieldIndexes(
  field: GoField,
  name: string,
  column: string,
  settings: ReadonlyMap<string, string>,
  table: string,
  order: number,
): RawIndex[] {
  const found: RawIndex[] = [];
  if (field.tag === undefined || !/index|unique/i.test(field.tag)) return found;
  const raw = structTagValue(field.tag, 'gorm') ?? '';
  for (const part of raw.split(';')) {
    const values = part.split(':');
    const key = values[0].trim().toUpperCase();
    if (key !== 'INDEX' && key !== 'UNIQUEINDEX') continue;
    const tag = values.slice(1).join(':');
    const comma = tag.indexOf(',');
    const options = parseTagSettings(tag.split(',').slice(1).join(','), ',');
    let indexName = tag.slice(0, comma === -1 ? tag.length : comma);
    if (indexName === '') indexName = gormIndexName(table, options.get('COMPOSITE') ?? name);
    const priority = /^-?\d+$/.test(options.get('PRIORITY') ?? '') ? Number(options.get('PRIORITY')) : 10;
    const unique = key === 'UNIQUEINDEX' || (options.get('UNIQUE') ?? '') !== '';
    found.push({ name: indexName, unique, priority, column, order: order + found.length });
  }
  if (tagIsTrue(settings.get('UNIQUE'))) {
    found.push({
      name: gormUniqueName(table, column),
      unique: true,
      priority: 10,
      column,
      order: order + found.length,
    });
  }
  return found;
}

/** Fields sharing an index name form one composite index, ordered by priority (a stable sort, as Go's). */
function mergeIndexes(raw: readonly RawIndex[]): ModelIndex[] {
  const byName = new Map<string, RawIndex[]>();
  for (const index of raw) byName.set(index.name, [...(byName.get(index.name) ?? []), index]);
  return [...byName].map(([name, parts]) => ({
    name,
    unique: parts.some((part) => part.unique),
    columns: [...parts].sort((a, b) => a.priority - b.priority || a.order - b.order).map((part) => part.column),
  }));
}
