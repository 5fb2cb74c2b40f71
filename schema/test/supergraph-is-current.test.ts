import { readFileSync } from 'node:fs';
import { parse, visit } from 'graphql';
import { composeSupergraph, unacceptedHints } from '../src/compose';
import { SUBGRAPH_NAMES, SUPERGRAPH_PATH, subgraphSdl } from '../src/sdl';

describe('the schema contract', () => {
  const result = composeSupergraph();

  it('composes without errors', () => {
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('reports no composition hint that has not been reviewed and accepted', () => {
    if (!result.ok) throw new Error('composition failed');
    expect(unacceptedHints(result.hints)).toEqual([]);
  });

  it('matches the committed supergraph (run `npm run compose` after changing an SDL file)', () => {
    if (!result.ok) throw new Error('composition failed');
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(result.supergraphSdl);
  });

  it.each(SUBGRAPH_NAMES)('describes every type, field, argument and enum value of %s', (name) => {
    const missing: string[] = [];
    const check = (kind: string, node: { description?: unknown; name: { value: string } }, parent?: string) => {
      if (!node.description) missing.push(`${kind} ${parent ? `${parent}.` : ''}${node.name.value}`);
    };
    visit(parse(subgraphSdl(name)), {
      ObjectTypeDefinition(node) {
        check('type', node);
        for (const field of node.fields ?? []) {
          check('field', field, node.name.value);
          for (const arg of field.arguments ?? []) check('argument', arg, `${node.name.value}.${field.name.value}`);
        }
      },
      InputObjectTypeDefinition(node) {
        check('input', node);
        for (const field of node.fields ?? []) check('input field', field, node.name.value);
      },
      EnumTypeDefinition(node) {
        check('enum', node);
        for (const value of node.values ?? []) check('enum value', value, node.name.value);
      },
      ScalarTypeDefinition(node) {
        check('scalar', node);
      },
    });
    expect(missing).toEqual([]);
  });
});
