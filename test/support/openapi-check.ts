/**
 * A structural check of an OpenAPI 3.0 document: what a client generator or Swagger UI relies on.
 * (No OpenAPI schema validator is installed; this covers the rules our generator could break.)
 * Returns the problems found, empty when the document is sound.
 */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_KEYS = [...METHODS, 'parameters', 'summary', 'description', 'servers', '$ref'];

type Json = any;

export function resolveRef(doc: Json, node: Json): Json {
  let cur = node;
  for (let hops = 0; cur && typeof cur.$ref === 'string' && hops < 10; hops++) {
    cur = cur.$ref
      .slice(2)
      .split('/')
      .reduce((o: Json, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return cur;
}

export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);

  if (typeof doc?.openapi !== 'string' || !/^3\.0\.\d+$/.test(doc.openapi)) fail('openapi', `not 3.0.x: ${doc?.openapi}`);
  if (typeof doc?.info?.title !== 'string' || typeof doc?.info?.version !== 'string') fail('info', 'title and version must be strings');
  if (!doc?.paths || typeof doc.paths !== 'object') {
    fail('paths', 'missing');
    return problems;
  }

  // Every $ref resolves, and schemas use 3.0 keywords only.
  const walk = (node: Json, where: string) => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${where}[${i}]`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#/')) fail(where, `external $ref ${node.$ref}`);
      else if (resolveRef(doc, node) === undefined) fail(where, `dangling $ref ${node.$ref}`);
    }
    if (Array.isArray(node.type)) fail(where, 'type as an array is OpenAPI 3.1, not 3.0');
    if ('const' in node && (node.type !== undefined || node.enum !== undefined)) fail(where, '`const` is not OpenAPI 3.0');
    if ('exclusiveMinimum' in node && typeof node.exclusiveMinimum !== 'boolean') fail(where, 'exclusiveMinimum must be boolean in 3.0');
    for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
  };
  walk(doc, '#');

  const schemes = Object.keys(doc.components?.securitySchemes ?? {});
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    if (!path.startsWith('/')) fail(path, 'path must start with /');
    if (/\/:/.test(path)) fail(path, 'express-style :param left in the path');
    for (const key of Object.keys(item)) if (!PATH_ITEM_KEYS.includes(key)) fail(path, `unknown key ${key}`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (op.operationId) {
        if (operationIds.has(op.operationId)) fail(where, `duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => resolveRef(doc, p));
      for (const p of params) {
        if (typeof p?.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p?.in)) fail(where, `bad parameter ${JSON.stringify(p)}`);
        if (!p.schema && !p.content) fail(where, `parameter ${p.name} has neither schema nor content`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(p.name)))
          fail(where, `path parameter ${p.name} must be required and in the template`);
      }
      for (const name of templated) {
        if (!params.some((p: Json) => p.in === 'path' && p.name === name)) fail(where, `{${name}} is not declared as a path parameter`);
      }
      if (op.requestBody) {
        const body = resolveRef(doc, op.requestBody);
        if (!body.content || !Object.keys(body.content).length) fail(where, 'requestBody without content');
      }
      const responses = Object.entries<Json>(op.responses ?? {});
      if (!responses.length) fail(where, 'no responses');
      for (const [code, response] of responses) {
        if (!/^([1-5](\d\d|XX)|default)$/.test(code)) fail(where, `bad response code ${code}`);
        if (typeof resolveRef(doc, response)?.description !== 'string') fail(`${where} ${code}`, 'response without description');
      }
      for (const requirement of op.security ?? doc.security ?? []) {
        for (const name of Object.keys(requirement)) if (!schemes.includes(name)) fail(where, `unknown security scheme ${name}`);
      }
    }
  }
  return problems;
}
