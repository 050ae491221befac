import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/** `templates/` of the checkout or image, found upwards from this module (in src/, dist/ or .build/…). */
export const TEMPLATES_FOLDER = findTemplates(dirname(fileURLToPath(import.meta.url)));

function findTemplates(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no templates/ folder above ${from}`);
  }
}

/**
 * The template files of `templates/` (mails, hosted pages), rendered with Eta: HTML with every
 * `<%= %>` escaped (a name or an address can never become markup), text as written. Compiled once
 * per file and kept (`cache`), so a render costs a function call.
 */
export class Templates {
  private readonly html: Eta;
  private readonly text: Eta;

  constructor(folder: string = TEMPLATES_FOLDER) {
    this.html = new Eta({ views: folder, autoEscape: true, cache: true, useWith: false });
    // A text part is laid out by its lines: a tag at the end of one keeps the line break after it
    // (Eta's default trims it, which glued the link to the paragraph that follows).
    this.text = new Eta({ views: folder, autoEscape: false, autoTrim: false, cache: true, useWith: false });
  }

  /** `name` relative to the folder, with its extension: `mail/en/password-reset.html.eta`. */
  renderHtml(name: string, data: object): string {
    return this.html.render(name, data);
  }

  renderText(name: string, data: object): string {
    return this.text.render(name, data);
  }
}
