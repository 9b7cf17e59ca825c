import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Rule 2 of docs/ARCHITECTURE.md, the part an import checker cannot see: a module owns its tables
 * and no other module reads or writes them in SQL, and the HTTP surfaces run no SQL at all. The
 * tables come from each module's entities (`@Entity({ tableName })`); the SQL is every string and
 * template literal in the code.
 */
const SRC = path.resolve(__dirname, '..', '..', 'src');
const MODULES = path.join(SRC, 'modules');

const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

/** Table → owning module, from the entities each module declares. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const mod of fs.readdirSync(MODULES)) {
    const dir = path.join(MODULES, mod, 'entities');
    if (!fs.existsSync(dir)) continue;
    for (const file of filesUnder(dir)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/@Entity\(\{\s*tableName:\s*'([a-z_]+)'/g)) owners.set(m[1], mod);
    }
  }
  return owners;
}

/** The text of every string and template literal in a file (where SQL lives). */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) found.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ? '));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const SQL_TABLE = /\b(?:from|join|update|into|table)\s+([a-z_]+)\b/gi;

function tablesIn(file: string, known: Map<string, string>): Set<string> {
  const tables = new Set<string>();
  for (const text of literals(file)) for (const m of text.matchAll(SQL_TABLE)) if (known.has(m[1].toLowerCase())) tables.add(m[1].toLowerCase());
  return tables;
}

describe('table ownership', () => {
  const owners = tableOwners();

  it('when the entities are read, then every module owns tables and no table has two owners', () => {
    expect(new Set(owners.values())).toEqual(
      new Set(['identity', 'engagement', 'ledger', 'payments', 'stations', 'rentals', 'promotions', 'audit', 'social', 'dispensing', 'loans', 'charging']),
    );
    expect(owners.get('rentals')).toBe('rentals');
    expect(owners.get('ledger_accounts')).toBe('ledger');
  });

  it("when every module's SQL is read, then it names only the tables its own entities declare", () => {
    const trespass: string[] = [];
    for (const mod of fs.readdirSync(MODULES)) {
      for (const file of filesUnder(path.join(MODULES, mod))) {
        for (const table of tablesIn(file, owners)) {
          if (owners.get(table) !== mod) trespass.push(`${path.relative(SRC, file)} uses ${table} (owned by ${owners.get(table)})`);
        }
      }
    }
    expect(trespass).toEqual([]);
  });

  it('when the HTTP surfaces are read, then their routers run no SQL', () => {
    const sql = filesUnder(path.join(SRC, 'api', 'surfaces')).flatMap((file) =>
      [...tablesIn(file, owners)].map((t) => `${path.relative(SRC, file)} uses ${t}`),
    );
    expect(sql).toEqual([]);
  });

  it("when a string names another module's table in SQL, then the check finds it (the checker itself works)", () => {
    const probe = path.join(MODULES, 'stations', '__probe__.ts');
    fs.writeFileSync(probe, 'export const q = `select balance_minor from ledger_accounts where id = ?`;\n');
    try {
      expect([...tablesIn(probe, owners)]).toEqual(['ledger_accounts']);
    } finally {
      fs.rmSync(probe);
    }
  });
});
