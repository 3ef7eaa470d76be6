import { readFileSync } from 'node:fs';
import path from 'node:path';

const README = path.resolve(__dirname, '../../../README.md');

/** A ```sh block of README.md: the heading it is under, its place among that heading's blocks, and its commands. */
export interface ReadmeBlock {
  readonly heading: string;
  readonly index: number;
  /** One per line, without comments and blank lines. */
  readonly commands: readonly string[];
}

export function readmeBlocks(): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let heading = '';
  let inBlock: string[] | undefined;
  for (const line of readFileSync(README, 'utf8').split('\n')) {
    if (inBlock) {
      if (line.startsWith('```')) {
        blocks.push({ heading, index: blocks.filter((block) => block.heading === heading).length, commands: inBlock });
        inBlock = undefined;
      } else {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command !== '' && !command.startsWith('#')) inBlock.push(command);
      }
    } else if (line.startsWith('```sh')) {
      inBlock = [];
    } else if (/^#{1,6} /.test(line)) {
      heading = line.replace(/^#+ /, '').trim();
    }
  }
  return blocks;
}

/** The commands of the `index`th ```sh block under `heading`; throws when the README has no such block. */
export function readmeBlock(heading: string, index: number): readonly string[] {
  const block = readmeBlocks().find((found) => found.heading === heading && found.index === index);
  if (!block) throw new Error(`README.md has no sh block ${index} under "${heading}"`);
  return block.commands;
}
