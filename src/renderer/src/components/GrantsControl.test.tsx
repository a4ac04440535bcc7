import { describe, expect, it } from 'vitest';
import { grantLabel, grantsSummary } from './GrantsControl';

describe('the grants badge', () => {
  it('names up to two tools and counts more, so it is always shown in full', () => {
    expect(grantsSummary([{ tool: 'shell', grant: 'always' }])).toBe('Allowed: shell');
    expect(
      grantsSummary([
        { tool: 'shell', grant: 'always' },
        { tool: 'save', grant: 4 },
      ]),
    ).toBe('Allowed: shell, save');
    expect(
      grantsSummary([
        { tool: 'shell', grant: 'always' },
        { tool: 'save', grant: 4 },
        { tool: 'patch', grant: 'always' },
      ]),
    ).toBe('Allowed: 3 tools');
    expect(grantsSummary([{ tool: '*', grant: 'always' }])).toBe('Allowed: every tool');
  });

  it('labels each grant in the list', () => {
    expect(grantLabel({ tool: 'save', grant: 3 })).toBe('save: next 3');
    expect(grantLabel({ tool: '*', grant: 'always' })).toBe('every tool: always');
  });
});
