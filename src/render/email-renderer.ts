import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { AppError } from '../errors/app-error.js';

/** A moment shown to a reader: a Date (shown in UK time) or text already formatted. */
export type EmailMoment = Date | string;

/**
 * Each workflow email and what it needs. None of them takes anything about the child: the
 * emails go to homes and mailboxes outside our control, so they carry a reference and a link
 * to an authenticated, expiring page instead.
 */
export interface EmailTemplates {
  /** To a home: a new referral to consider. */
  'referral-pack': {
    reference: string;
    homeName: string;
    link: string;
    respondBy: EmailMoment;
    linkExpires?: EmailMoment;
    /** When an unanswered referral is chased (the workflow's `remind` timer). */
    remindAt?: EmailMoment;
    /** Adds the line saying the pack is attached (only when the workflow opts in). */
    packAttached?: boolean;
  };
  /** To the referrer: the referral arrived (the reference only, nothing about the child). */
  'referral-received': { reference: string; link: string };
  /** To a home that has not answered yet. */
  'home-reminder': { reference: string; homeName: string; link: string; respondBy: EmailMoment };
  /** To the referring social worker: the referral's status changed. */
  'referrer-status': {
    reference: string;
    /** The new status as a person reads it ("Searching for a home"). */
    status: string;
    link: string;
    /** One optional sentence about what happens next; never details of the child. */
    detail?: string;
  };
  /** To the referrer: a home asked a question (the question itself is on the referral's page). */
  'referrer-question': { reference: string; link: string };
  /** To the home whose offer the local authority took up. */
  'referral-chosen': { reference: string; homeName: string; link: string };
  /**
   * To a home: something it should read on its referral page (the referrer answered its
   * question, turned its offer down). `news` is one of {@link homeUpdateNews}, never free text.
   */
  'home-update': { reference: string; homeName: string; link: string; news: string };
  /**
   * To a home that was not chosen, or to every home asked when the referral is withdrawn.
   * `outcome` is the referral's status (`withdrawn`, `ceased`, `placed`, `alternative
   * placement`): the email says it in one of {@link referralOutcomeNews}, never free text.
   */
  'referral-outcome': {
    reference: string;
    homeName: string;
    outcome?: string;
    packAttached?: boolean;
  };
  /** To the coordinator: something needs a person. */
  'coordinator-escalation': {
    reference: string;
    /** Why, in a sentence ("2 homes have not answered within 2 working days"). */
    reason: string;
    link: string;
    homesAwaiting?: number;
  };
  /** To a home: its link for declaring free welfare beds each day (a coordinator sent it). */
  'vacancy-link': { homeName: string; link: string };
}

/** The name of an email template. */
export type EmailName = keyof EmailTemplates;

/** A rendered email, ready for the Mailer port. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Template = (locals: Record<string, unknown>) => string;

interface CompiledEmail {
  subject: Template;
  text: Template;
  html: Template;
}

/**
 * What each template holds. `personalData: false` promises that the rendered email carries
 * nothing about a person beyond the recipient's own address (a reference, a link, a home's
 * name), so a send that a crash left uncertain may be sent again: a duplicate is harmless, a
 * lost one is not. Workflow definitions are checked against this when they load.
 */
export const emailTemplateInfo: Readonly<Record<EmailName, { readonly personalData: boolean }>> = {
  'referral-pack': { personalData: false },
  'referral-received': { personalData: false },
  'home-reminder': { personalData: false },
  'referrer-status': { personalData: false },
  'referrer-question': { personalData: false },
  'referral-outcome': { personalData: false },
  'coordinator-escalation': { personalData: false },
  'vacancy-link': { personalData: false },
  'referral-chosen': { personalData: false },
  'home-update': { personalData: false },
};

/** The fixed sentences a `home-update` email may carry (nothing about the child). */
export const homeUpdateNews = {
  answered: 'The local authority has answered your question and may have added documents.',
  'offer-declined': 'The local authority has decided not to take up your offer of a place.',
} as const;

/**
 * What a `referral-outcome` email says happened to the referral, by its status: it follows
 * "Secure welfare referral <reference>" and holds nothing about the child.
 */
export const referralOutcomeNews: Readonly<Record<string, string>> = {
  withdrawn: 'has been withdrawn by the local authority',
  ceased: 'has been closed: the search for a secure home has stopped',
  placed: 'has been placed with another home',
  'alternative placement': 'has been placed elsewhere',
};
/** For a status without its own sentence: true of every outcome. */
const closedNews = 'has been closed';

const EMAIL_NAMES: readonly EmailName[] = [
  'referral-pack',
  'referral-received',
  'home-reminder',
  'referrer-status',
  'referrer-question',
  'referral-outcome',
  'coordinator-escalation',
  'vacancy-link',
  'referral-chosen',
  'home-update',
];
const REQUIRED: Record<EmailName, readonly string[]> = {
  'referral-pack': ['reference', 'homeName', 'link', 'respondBy'],
  'referral-received': ['reference', 'link'],
  'home-reminder': ['reference', 'homeName', 'link', 'respondBy'],
  'referrer-status': ['reference', 'status', 'link'],
  'referrer-question': ['reference', 'link'],
  'referral-outcome': ['reference', 'homeName'],
  'coordinator-escalation': ['reference', 'reason', 'link'],
  'vacancy-link': ['homeName', 'link'],
  'referral-chosen': ['reference', 'homeName', 'link'],
  'home-update': ['reference', 'homeName', 'link', 'news'],
};
const DEFAULT_DIR = fileURLToPath(new URL('../../views/emails/', import.meta.url));
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});
const caches = new Map<string, Map<EmailName, CompiledEmail>>();

/**
 * Renders workflow email `name` from `views/emails/<name>.{subject,txt,html}.ejs` in a plain
 * GOV.UK Notify-like style. Templates are compiled on first use and cached. Bad locals (a
 * missing value, a link that is not http(s)) are an ERR_EMAIL_TEMPLATE_INVALID, never a
 * half-filled email.
 */
export function renderEmail<N extends EmailName>(
  name: N,
  locals: EmailTemplates[N],
  viewsDir: string = DEFAULT_DIR,
): RenderedEmail {
  const template = load(viewsDir, name);
  const prepared = prepare(name, locals);
  const subject = template.subject(prepared).replace(/\s+/g, ' ').trim();
  const text = template
    .text(prepared)
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const html = wrapHtml(subject, template.html(prepared));
  return { subject, text: `${text}\n`, html };
}

function load(viewsDir: string, name: EmailName): CompiledEmail {
  if (!EMAIL_NAMES.includes(name)) {
    throw new AppError('ERR_EMAIL_TEMPLATE_INVALID', 'no email template with that name');
  }
  let cache = caches.get(viewsDir);
  if (!cache) {
    cache = new Map();
    caches.set(viewsDir, cache);
  }
  const cached = cache.get(name);
  if (cached) return cached;
  const compiled: CompiledEmail = {
    subject: compile(viewsDir, `${name}.subject.ejs`, false),
    text: compile(viewsDir, `${name}.txt.ejs`, false),
    html: compile(viewsDir, `${name}.html.ejs`, true),
  };
  cache.set(name, compiled);
  return compiled;
}

function compile(viewsDir: string, file: string, escape: boolean): Template {
  const filename = `${viewsDir.replace(/\/?$/, '/')}${file}`;
  if (!existsSync(filename)) {
    throw new AppError('ERR_EMAIL_TEMPLATE_INVALID', `email template file ${file} is missing`);
  }
  const options: ejs.Options = { filename, _with: false, localsName: 'locals', strict: true };
  // Text parts are not HTML: escaping would turn "&" in a home's name into "&amp;".
  if (!escape) options.escape = (value: unknown) => String(value);
  return ejs.compile(readFileSync(filename, 'utf8'), options) as Template;
}

function prepare(name: EmailName, locals: Record<string, unknown>): Record<string, unknown> {
  const problems: string[] = [];
  for (const key of REQUIRED[name]) {
    const value = locals[key];
    if (
      value === undefined ||
      value === null ||
      (typeof value === 'string' && value.trim() === '')
    ) {
      problems.push(`${key} is missing`);
    }
  }
  const prepared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(locals)) {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) problems.push(`${key} is not a valid date`);
      else prepared[key] = formatMoment(value);
    } else if (typeof value === 'string') {
      // A value must not start a new line or header in the text part or the subject.
      prepared[key] = value.replace(/[\r\n]+/g, ' ');
    } else {
      prepared[key] = value;
    }
  }
  if (name === 'referral-outcome') {
    const outcome = typeof locals.outcome === 'string' ? locals.outcome : '';
    prepared.news = Object.hasOwn(referralOutcomeNews, outcome)
      ? referralOutcomeNews[outcome]
      : closedNews;
  }
  if (typeof locals.link === 'string' && !isWebLink(locals.link))
    problems.push('link must be an http(s) URL');
  if (problems.length > 0) {
    throw new AppError(
      'ERR_EMAIL_TEMPLATE_INVALID',
      `email ${name} cannot be rendered: ${problems.join('; ')}`,
    );
  }
  return prepared;
}

function isWebLink(link: string): boolean {
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** "5:00pm on 4 March 2026", in UK time whatever the server's zone. */
function formatMoment(date: Date): string {
  const parts = Object.fromEntries(
    LONDON.formatToParts(date).map((part) => [part.type, part.value]),
  );
  const period = (parts.dayPeriod ?? '').toLowerCase().replace(/\s/g, '');
  return `${parts.hour ?? ''}:${parts.minute ?? ''}${period} on ${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''}`;
}

function wrapHtml(subject: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ejs.escapeXML(subject)}</title>
<style>
body { margin: 0; padding: 0; font-family: Helvetica, Arial, sans-serif; font-size: 19px; line-height: 1.32; color: #0b0c0c; background: #ffffff; }
.banner { background: #0b0c0c; color: #ffffff; padding: 12px 20px; font-weight: bold; font-size: 19px; }
.content { max-width: 580px; padding: 20px; }
p { margin: 0 0 20px 0; }
a { color: #1d70b8; }
.small { font-size: 16px; color: #505a5f; }
</style>
</head>
<body>
<div class="banner">Secure Welfare Coordination Unit</div>
<div class="content">
${body.trim()}
</div>
</body>
</html>
`;
}
