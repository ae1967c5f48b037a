import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import PDFDocument from "pdfkit";

/**
 * Fonts for the documents. By default PDF's built-in Helvetica, which needs no file and is fast but
 * only knows the Windows-1252 characters (all of French, most Western European names); a TrueType
 * file (`--font`) covers any name, at many times the cost per document (×15 in bench/README.md).
 */
export interface PdfFonts {
  regular?: string | undefined;
  bold?: string | undefined;
}

// The characters Helvetica's WinAnsi encoding has beyond Latin-1 (0x80–0x9F of Windows-1252).
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/g;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const SYMBOL = /^(?:\p{Extended_Pictographic}|\p{So}|\u{fe0f})$/u;
const TRANSLITERATION: Record<string, string> = { ł: "l", Ł: "L", đ: "d", Đ: "D", ı: "i", "−": "-", "‑": "-" };

const isWinAnsi = (ch: string): boolean => {
  const code = ch.codePointAt(0) as number;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch) || ch === "\n";
};

/**
 * Text that Helvetica can draw: thin and narrow spaces become spaces, letters outside Windows-1252
 * lose their accents (`ł` → `l`, `ș` → `s`), pictograms are dropped, anything else becomes `?`.
 * Without this PDFKit writes garbage for such characters and for the rest of the line.
 */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const ch of text
    .replace(SPACES, " ")
    .replace(ZERO_WIDTH, "")
    .replace(/\r\n?|\t/g, " ")) {
    if (isWinAnsi(ch)) {
      out += ch;
      continue;
    }
    const mapped = TRANSLITERATION[ch];
    if (mapped) {
      out += mapped;
      continue;
    }
    const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
    if (base !== "" && [...base].every(isWinAnsi)) out += base;
    else if (SYMBOL.test(ch) || /\p{M}/u.test(ch)) continue;
    else out += "?";
  }
  return out;
}

export interface Column {
  header: string;
  /** Share of the page's width. */
  width: number;
}

const PAGE_MARGIN = 50;
const CELL_PADDING = 3;
const BODY_SIZE = 9.5;
const TABLE_SIZE = 8.5;
const FOOTER_SIZE = 7.5;
/** The longest text a table cell shows; the CSV files keep the whole text. */
const MAX_CELL_CHARS = 1500;

/** An A4 document written straight to a file, with headings, label/value lines, tables and a footer on every page. */
export class PdfSheet {
  readonly #doc: PDFKit.PDFDocument;
  readonly #done: Promise<void>;
  readonly #safe: (text: string) => string;
  readonly #regular: string;
  readonly #bold: string;
  #page = 0;

  constructor(
    path: string,
    meta: { title: string; author?: string | undefined; footer: (page: number) => string },
    fonts: PdfFonts = {},
  ) {
    this.#doc = new PDFDocument({
      size: "A4",
      margin: PAGE_MARGIN,
      info: { Title: meta.title, ...(meta.author ? { Author: meta.author } : {}), Creator: "binome" },
      autoFirstPage: false,
    });
    if (fonts.regular) {
      this.#doc.registerFont("body", fonts.regular);
      this.#doc.registerFont("body-bold", fonts.bold ?? fonts.regular);
      this.#regular = "body";
      this.#bold = "body-bold";
      this.#safe = (text) => text;
    } else {
      this.#regular = "Helvetica";
      this.#bold = "Helvetica-Bold";
      this.#safe = toWinAnsi;
    }
    const out = createWriteStream(path);
    this.#doc.pipe(out);
    this.#done = finished(out);
    this.#doc.on("pageAdded", () => {
      this.#page += 1;
      this.#footer(meta.footer(this.#page));
    });
    this.#doc.addPage();
  }

  get #left(): number {
    return this.#doc.page.margins.left;
  }
  get #width(): number {
    return this.#doc.page.width - this.#doc.page.margins.left - this.#doc.page.margins.right;
  }
  get #bottom(): number {
    return this.#doc.page.height - this.#doc.page.margins.bottom;
  }

  #footer(text: string): void {
    const doc = this.#doc;
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(this.#regular)
      .fontSize(FOOTER_SIZE)
      .fillColor("#666666")
      .text(this.#safe(text), this.#left, doc.page.height - 32, {
        width: this.#width,
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
    doc.fillColor("black").font(this.#regular).fontSize(BODY_SIZE);
    doc.x = this.#left;
    doc.y = doc.page.margins.top;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  #room(height: number): void {
    if (this.#doc.y + height > this.#bottom) this.#doc.addPage();
  }

  title(text: string): this {
    this.#doc.font(this.#bold).fontSize(16).text(this.#safe(text), this.#left, this.#doc.y, { width: this.#width });
    this.#doc.moveDown(0.6);
    return this;
  }

  /** A "label: value" line, the label in bold; French puts a space before the colon. */
  field(label: string, value: string, colon = ": "): this {
    this.#room(14);
    this.#doc
      .fontSize(BODY_SIZE)
      .font(this.#bold)
      .text(this.#safe(`${label}${colon}`), this.#left, this.#doc.y, { continued: true, width: this.#width })
      .font(this.#regular)
      .text(this.#safe(value));
    return this;
  }

  rule(): this {
    const y = this.#doc.y + 4;
    this.#doc
      .moveTo(this.#left, y)
      .lineTo(this.#left + this.#width, y)
      .lineWidth(0.5)
      .strokeColor("#999999")
      .stroke();
    this.#doc.y = y + 8;
    return this;
  }

  heading(text: string): this {
    this.#room(70);
    this.#doc.moveDown(0.8);
    this.#doc.font(this.#bold).fontSize(12).text(this.#safe(text), this.#left, this.#doc.y, { width: this.#width });
    this.#doc.moveDown(0.3);
    return this;
  }

  subheading(text: string): this {
    this.#room(50);
    this.#doc.moveDown(0.3);
    this.#doc
      .font(this.#bold)
      .fontSize(BODY_SIZE)
      .text(this.#safe(text), this.#left, this.#doc.y, { width: this.#width });
    this.#doc.moveDown(0.2);
    return this;
  }

  paragraph(text: string, options: { muted?: boolean } = {}): this {
    this.#room(14);
    this.#doc
      .font(this.#regular)
      .fontSize(BODY_SIZE)
      .fillColor(options.muted ? "#555555" : "black")
      .text(this.#safe(text), this.#left, this.#doc.y, { width: this.#width });
    this.#doc.fillColor("black");
    return this;
  }

  /** A table whose rows are added one at a time; the header is repeated on each new page. */
  table(columns: Column[]): { row(cells: string[]): void; end(): void } {
    const doc = this.#doc;
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.#width);
    const cellHeight = (text: string, width: number, font: string) =>
      doc
        .font(font)
        .fontSize(TABLE_SIZE)
        .heightOfString(text === "" ? " " : text, { width: width - 2 * CELL_PADDING }) +
      2 * CELL_PADDING;
    const draw = (cells: string[], font: string, shade: boolean) => {
      const texts = cells.map((c) => {
        const safe = this.#safe(c);
        return safe.length > MAX_CELL_CHARS ? `${safe.slice(0, MAX_CELL_CHARS - 1)}…` : safe;
      });
      const height = Math.max(...texts.map((t, i) => cellHeight(t, widths[i] as number, font)));
      let x = this.#left;
      const y = doc.y;
      if (shade) doc.rect(x, y, this.#width, height).fillColor("#eeeeee").fill().fillColor("black");
      texts.forEach((text, i) => {
        const width = widths[i] as number;
        doc
          .font(font)
          .fontSize(TABLE_SIZE)
          .text(text, x + CELL_PADDING, y + CELL_PADDING, { width: width - 2 * CELL_PADDING });
        x += width;
      });
      doc
        .moveTo(this.#left, y + height)
        .lineTo(this.#left + this.#width, y + height)
        .lineWidth(0.3)
        .strokeColor("#bbbbbb")
        .stroke();
      doc.x = this.#left;
      doc.y = y + height;
    };
    const headers = columns.map((c) => c.header);
    const headerHeight = Math.max(...headers.map((h, i) => cellHeight(this.#safe(h), widths[i] as number, this.#bold)));
    const header = () => draw(headers, this.#bold, true);
    this.#room(headerHeight + 20);
    header();
    return {
      row: (cells) => {
        const height = Math.max(
          ...cells.map((c, i) =>
            cellHeight(this.#safe(c).slice(0, MAX_CELL_CHARS), widths[i] as number, this.#regular),
          ),
        );
        if (doc.y + height > this.#bottom) {
          doc.addPage();
          header();
        }
        draw(cells, this.#regular, false);
      },
      end: () => {
        doc.moveDown(0.4);
        doc.x = this.#left;
      },
    };
  }

  /** Finishes the document and waits until the file is written. */
  async close(): Promise<void> {
    this.#doc.end();
    await this.#done;
  }
}
