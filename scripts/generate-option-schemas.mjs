#!/usr/bin/env node
// Derives, from inferboard's own TypeScript types, the JSON Schema of every public builder's
// options (the functions `inferboard` exports whose first parameter is an `...Options` or
// `...Spec` type), and compiles them with ajv into dist/schema/options.cjs: what builders check
// their options against at run time (queries/options.ts), so JavaScript callers and TypeScript
// callers who never run tsc get the type checks too. Runs in `npm run build`; skipped when the
// sources are those it was generated from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createGenerator } from 'ts-json-schema-generator';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestOutput = join(root, 'dist', 'schema', 'options.json');
const validatorsOutput = join(root, 'dist', 'schema', 'options.cjs');
const folders = ['queries', 'panels', 'alerts', 'src'];

const sources = folders.flatMap(function files(folder) {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
});
const key = createHash('sha256')
  .update(readFileSync(new URL(import.meta.url)))
  .update(
    sources
      .sort()
      .map((file) => `${file}\0${readFileSync(join(root, file), 'utf8')}`)
      .join('\0'),
  )
  .digest('hex');
try {
  if (JSON.parse(readFileSync(manifestOutput, 'utf8')).key === key && existsSync(validatorsOutput)) process.exit(0);
} catch {
  // not generated yet
}

/** Public builders: name -> options type, from what src/index.ts exports. */
function builders() {
  const program = ts.createProgram([join(root, 'src/index.ts')], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
  });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(join(root, 'src/index.ts')));
  const found = {};
  for (const exported of checker.getExportsOfModule(entry)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.valueDeclaration;
    if (!declaration) continue;
    const [signature] = checker.getTypeOfSymbolAtLocation(symbol, declaration).getCallSignatures();
    const [parameter] = signature?.getParameters() ?? [];
    if (!parameter) continue;
    const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(parameter, parameter.valueDeclaration));
    const name = type.aliasSymbol?.name ?? type.getSymbol()?.name;
    if (name && /(Options|Spec)$/.test(name)) found[exported.name] = name;
  }
  return Object.fromEntries(Object.entries(found).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Whether a property's schema stands for a function (`functions: 'comment'`): any value. */
const isFunction = (schema) => typeof schema === 'object' && schema !== null && Object.keys(schema).join() === '$comment';

/**
 * Loosens what a type cannot say of a value at run time: a builder (an object of functions only,
 * `{ build(): T }`) is a class instance whose other fields are its own business.
 */
function loosen(schema) {
  if (Array.isArray(schema)) return schema.map(loosen);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([field, value]) => [field, loosen(value)]));
  if (copy.type === 'object' && copy.additionalProperties === false && Object.values(copy.properties ?? {}).every(isFunction))
    delete copy.additionalProperties;
  return copy;
}

const map = builders();
const types = [...new Set(Object.values(map))].sort();
const settings = {
  path: join(root, '{queries,panels,alerts,src}/**/*.ts'),
  tsconfig: join(root, 'tsconfig.json'),
  type: '*',
  skipTypeCheck: true,
  topRef: true,
  additionalProperties: false,
  jsDoc: 'none',
  functions: 'comment',
};
const generator = createGenerator({ ...settings, expose: 'export' });
const definitions = {};
for (const type of types) Object.assign(definitions, generator.createSchema(type).definitions);
const loose = loosen(definitions);
// One schema holds every definition, compiled once (inlineRefs: false): each options type refers to
// the same MetricsProfile validator instead of carrying a copy.
// verbose: errors carry their schema, whose fields a "did you mean" below the top level reads.
const ajv = new Ajv({ strict: false, allErrors: false, inlineRefs: false, verbose: true, code: { source: true } });
ajv.addSchema({ $id: 'options', definitions: loose });
const refs = Object.fromEntries(types.map((type) => [type, `options#/definitions/${type}`]));
const properties = Object.fromEntries(types.map((type) => [type, Object.keys(loose[type]?.properties ?? {}).sort()]));
mkdirSync(dirname(manifestOutput), { recursive: true });
writeFileSync(validatorsOutput, standaloneCode(ajv, refs));
writeFileSync(manifestOutput, `${JSON.stringify({ key, builders: map, properties })}\n`);
console.log(
  `generate-option-schemas: ${Object.keys(map).length} builders, ${Object.keys(refs).length} options types, compiled to ${relative(root, validatorsOutput)}`,
);
