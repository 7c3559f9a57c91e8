// Handlebars rendering for the few files that vary by option (README, package.json, ...).
// Templates only loop and substitute: logic belongs in the view objects built by emitters.

import Handlebars from 'handlebars';

const hb = Handlebars.create();
// `{{json x}}` embeds a value as JSON (package.json fragments, config files).
hb.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));

export function render(template: string, view: object, name = 'template'): string {
  try {
    return hb.compile(template, { strict: true, noEscape: true })(view);
  } catch (error) {
    throw new Error(`Rendering ${name} failed: ${(error as Error).message}`);
  }
}
