import type { Block, Card } from "../../core/card.js";

/**
 * Budgets for one message. Slack: 50 blocks, 3,000 characters per text block, 25 buttons per
 * actions block. Teams: about 28 KB per message; an Adaptive Card is larger than the neutral card
 * (each button carries its action id and value in a data object), so the neutral JSON is kept to
 * about half of that.
 */
export const MESSAGE_BUDGET = { blocks: 48, textChars: 2900, buttons: 25, bytes: 14_000 } as const;

const bytesOf = (blocks: Block[]) => Buffer.byteLength(JSON.stringify(blocks), "utf8");

/** Cuts a text to the per-block budget. */
export function fitText(text: string, max: number = MESSAGE_BUDGET.textChars): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Lines joined into as few text blocks as the per-block budget allows. */
export function linesToBlocks(lines: string[], style?: "plain" | "muted"): Block[] {
  const blocks: Block[] = [];
  let current = "";
  for (const line of lines.map((l) => fitText(l))) {
    if (current !== "" && current.length + 1 + line.length > MESSAGE_BUDGET.textChars) {
      blocks.push({ type: "text", text: current, ...(style ? { style } : {}) });
      current = "";
    }
    current = current === "" ? line : `${current}\n${line}`;
  }
  if (current !== "") blocks.push({ type: "text", text: current, ...(style ? { style } : {}) });
  return blocks;
}

/**
 * Packs groups of blocks (each kept whole: a pair's lines and its buttons) into as few cards as the
 * budget allows, in order. Each card starts with `head(part, parts)` and keeps room for `reserve`
 * more blocks at its end (a page footer).
 */
export function packCards(input: {
  groups: Block[][];
  head: (part: number, parts: number) => Block[];
  fallback: (part: number, parts: number) => string;
  reserve?: number;
}): Card[] {
  const headBlocks = input.head(99, 99);
  const maxBlocks = MESSAGE_BUDGET.blocks - headBlocks.length - (input.reserve ?? 0);
  const maxBytes = MESSAGE_BUDGET.bytes - bytesOf(headBlocks) - (input.reserve ?? 0) * 400;
  const bodies: Block[][] = [];
  let body: Block[] = [];
  let size = 2;
  for (const group of input.groups) {
    const groupBytes = bytesOf(group);
    if (body.length > 0 && (body.length + group.length > maxBlocks || size + groupBytes > maxBytes)) {
      bodies.push(body);
      body = [];
      size = 2;
    }
    body.push(...group);
    size += groupBytes + 1;
  }
  if (body.length > 0 || bodies.length === 0) bodies.push(body);
  const parts = bodies.length;
  return bodies.map((blocks, i) => ({
    fallback: input.fallback(i + 1, parts),
    blocks: [...input.head(i + 1, parts), ...blocks],
  }));
}
