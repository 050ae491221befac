import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Templates, TEMPLATES_FOLDER } from '../../../../platform/templates/templates.js';
import type { MailRenderer, TemplateModel } from '../../application/mail-ports.js';
import { LOCALES, MAIL_TEMPLATES, type Locale, type MailTemplate } from '../../domain/mail-request.js';

/**
 * Mails from the files of `templates/mail/` (see its README): `<locale>/<template>.text.eta` and
 * `.html.eta`, the subjects in `<locale>/subjects.json`. Every template of every locale is checked
 * at construction, so a missing file fails the start, not a delivery.
 */
export class EtaMailRenderer implements MailRenderer {
  private readonly subjects: Record<Locale, Record<MailTemplate, string>>;

  constructor(
    private readonly templates: Templates = new Templates(),
    folder: string = TEMPLATES_FOLDER,
  ) {
    this.subjects = Object.fromEntries(
      LOCALES.map((locale) => [locale, subjectsOf(join(folder, 'mail', locale, 'subjects.json'))]),
    ) as Record<Locale, Record<MailTemplate, string>>;
  }

  render(template: MailTemplate, locale: Locale, model: TemplateModel) {
    return {
      subject: this.subjects[locale][template],
      text: this.templates.renderText(`mail/${locale}/${template}.text.eta`, model),
      html: this.templates.renderHtml(`mail/${locale}/${template}.html.eta`, model),
    };
  }
}

function subjectsOf(file: string): Record<MailTemplate, string> {
  const subjects = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const template of MAIL_TEMPLATES) {
    if (typeof subjects[template] !== 'string') throw new Error(`${file} has no subject for ${template}`);
  }
  return subjects as Record<MailTemplate, string>;
}
