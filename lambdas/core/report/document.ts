/** One column of a report table; numbers are right-aligned. */
export interface ReportColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** One headline figure: a label, its value and an optional line of context (e.g. the change). */
export interface ReportMetric {
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
}

/**
 * A block of report content. Every string is plain text, escaped by the HTML renderer, so
 * values from data never become markup.
 */
export type ReportBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly emphasis?: boolean }
  | { readonly kind: 'metrics'; readonly items: readonly ReportMetric[] }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      readonly columns: readonly ReportColumn[];
      readonly rows: readonly (readonly string[])[];
      /** What the table shows, in a few words: its `<caption>` (HTML) and the line above it (plain text). */
      readonly caption?: string;
      /** A last row set apart, e.g. the portfolio total. */
      readonly footer?: readonly string[];
      /** Shown instead of the table when there are no rows. */
      readonly empty?: string;
      /**
       * In HTML, one block per row (the first cell as its title, then `header: value` lines) instead of
       * columns: for rows of long text that a phone cannot show side by side. The plain text keeps columns.
       */
      readonly stacked?: boolean;
    }
  | { readonly kind: 'bars'; readonly items: readonly { label: string; value: string; ratio: number }[] }
  | {
      /** An inline image (a chart), shown `width` CSS pixels wide at most and scaled down on narrow screens. */
      readonly kind: 'image';
      /** Content-ID of the attachment holding the image; the HTML refers to `cid:<cid>`. */
      readonly cid: string;
      /** What the image shows, in words: its alt text and its plain-text stand-in. */
      readonly alt: string;
      readonly width: number;
      readonly height: number;
    };

/** The content of one mail, rendered once as HTML and once as plain text so both say the same. */
export interface ReportDocument {
  readonly title: string;
  /** BCP 47 language of the text, e.g. `en-US`: the HTML `lang`, so screen readers pronounce it right. @default 'en' */
  readonly lang?: string;
  /** Short line shown by mail clients beside the subject. */
  readonly preheader: string;
  readonly blocks: readonly ReportBlock[];
  readonly footer: readonly string[];
}
