// The client's types against the server's OpenAPI document: each exported interface that stands
// for a schema of the document has the same fields, optional exactly where the document does not
// require them; and every schema of the document has an interface, or is listed below with why
// not. A field added on one side only fails here (src/server/api_schema_test.cc holds the
// document to the server's records).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { removeDir, startServer, tempDir } from '../../../tests/e2e/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// OpenAPI schema -> the interface of src/index.ts that stands for it.
const interfaceFor = {
  DateRange: 'DateRange',
  ExportRequest: 'ExportRequest',
  ExportedFile: 'ExportedFile',
  ExportResult: 'ExportResult',
  ExportProgress: 'ExportProgress',
  ExportStatus: 'ExportStatus',
  Estimate: 'Estimate',
  Health: 'HealthStatus',
  DatasetInfo: 'DatasetInfo',
  ExportList: 'ExportList',
};
// Schemas the client reads without an interface of their own.
const noInterface = {
  Error: 'ParquetExportError carries its code and message',
  ExportAccepted: 'startExport returns its export_id',
  DatasetList: 'listDatasets returns its array of DatasetInfo',
};

// Exported interfaces of index.ts: name -> Map(field -> optional?).
function clientInterfaces() {
  const file = path.join(here, '../src/index.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = new Map();
  for (const node of source.statements) {
    if (!ts.isInterfaceDeclaration(node)) continue;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const fields = new Map();
    for (const member of node.members) {
      if (ts.isPropertySignature(member)) fields.set(member.name.getText(source), Boolean(member.questionToken));
    }
    out.set(node.name.text, fields);
  }
  return out;
}

let work, server, schemas;

before(async () => {
  work = tempDir('scout-openapi-');
  server = await startServer({ dataDir: path.join(work, 'data') });
  schemas = (await (await fetch(`${server.url}/openapi.json`)).json()).components.schemas;
});

after(async () => {
  await server?.stop();
  removeDir(work);
});

test('every OpenAPI schema has a client interface, or a reason not to', () => {
  for (const name of Object.keys(schemas)) {
    assert.ok(interfaceFor[name] || noInterface[name], `schema ${name} has no interface in src/index.ts`);
  }
});

test("the client's interfaces have the OpenAPI schemas' fields, optional where not required", () => {
  const interfaces = clientInterfaces();
  for (const [schemaName, interfaceName] of Object.entries(interfaceFor)) {
    const schema = schemas[schemaName];
    assert.ok(schema, `the document has no schema ${schemaName}`);
    const fields = interfaces.get(interfaceName);
    assert.ok(fields, `src/index.ts exports no interface ${interfaceName}`);
    assert.deepEqual([...fields.keys()].sort(), Object.keys(schema.properties).sort(),
      `${interfaceName} (client) and ${schemaName} (OpenAPI) name different fields`);
    const required = new Set(schema.required ?? []);
    for (const [field, optional] of fields) {
      assert.equal(optional, !required.has(field),
        `${interfaceName}.${field} is ${optional ? 'optional' : 'required'} in the client but ${required.has(field) ? 'required' : 'optional'} in the document`);
    }
  }
});
