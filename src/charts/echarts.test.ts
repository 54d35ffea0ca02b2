/** Chart labels: long category names wrap onto at most two lines (expected strings worked out by hand). */
import { describe, expect, it } from 'vitest';
import { wrapLabel } from './echarts.js';

describe('wrapLabel', () => {
  it('leaves a label that fits alone', () => {
    expect(wrapLabel('Jeugd-GGZ', 32)).toBe('Jeugd-GGZ');
  });

  it('breaks between words and marks a cut-off third line with an ellipsis on the second', () => {
    // 'Verblijf en' (11) | 'behandeling van' (15) | 'jeugdigen …' would be a third line.
    expect(wrapLabel('Verblijf en behandeling van jeugdigen met een beperking', 20)).toBe(
      'Verblijf en\nbehandeling van…',
    );
  });

  it('cuts a second line that is still too long to width − 1 characters and an ellipsis', () => {
    expect(wrapLabel('Zorg Orthopedagogischcentrum', 10)).toBe('Zorg\nOrthopeda…');
  });

  it('keeps a single word longer than the width whole, on one line', () => {
    expect(wrapLabel('Orthopedagogischcentrum', 10)).toBe('Orthopedagogischcentrum');
  });
});
