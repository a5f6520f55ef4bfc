/** A message received over SMTP, as a reader's mail program shows it. */
export interface ParsedMail {
  /** Lower-case names; unfolded, RFC 2047 words decoded. */
  headers: Map<string, string>;
  text: string;
  html: string;
}

/**
 * Just enough MIME for the mails MailGuard sends: a multipart/alternative (or a single part) of
 * text/plain and text/html, each quoted-printable, base64 or plain 7/8 bit.
 */
export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitPart(raw);
  const parts = { text: '', html: '' };
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const leaves = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => splitPart(part.replace(/^\r?\n/, '')))
    : [{ headers, body }];
  for (const leaf of leaves) {
    const type = leaf.headers.get('content-type') ?? 'text/plain';
    const content = decodeBody(leaf.body, leaf.headers.get('content-transfer-encoding'));
    if (/^text\/html/i.test(type)) parts.html = content;
    else if (/^text\/plain/i.test(type)) parts.text = content;
  }
  return { headers, ...parts };
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: raw.slice(split).replace(/^\r?\n\r?\n/, '') };
}

function decodeBody(body: string, encoding = '7bit'): string {
  const trimmed = body.replace(/\r?\n$/, '');
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(trimmed);
    case 'base64':
      return Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return trimmed;
  }
}

export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_all, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

export function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const source = Buffer.from(value.replace(/=\r?\n/g, ''), 'utf8');
  for (let i = 0; i < source.length; i++) {
    const hex = source.subarray(i + 1, i + 3).toString('latin1');
    if (source[i] === 0x3d && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(source[i]);
  }
  return Buffer.from(bytes).toString('utf8');
}
