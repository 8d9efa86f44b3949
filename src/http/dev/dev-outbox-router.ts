import { Router, type Request } from 'express';
import { simpleParser } from 'mailparser';
import { AppError } from '../../errors/app-error.js';
import { isCoordinator } from '../is-coordinator.js';
import type { PageRenderer } from '../page-renderer.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** The outbox as the page reads it (OutboxMailer). */
export interface DevOutboxSource {
  list(): Promise<{ id: string; to: string; subject: string; date: Date }[]>;
  read(id: string): Promise<Buffer | undefined>;
}

/** What the development outbox pages need. */
export interface DevOutboxRouterOptions {
  outbox: DevOutboxSource;
  pages: PageRenderer;
}

const when = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
});
const listed = 50;

/** The web links in a message's text, in order, each once. */
export function toLinks(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}

/** The message's text part, decoded (quoted-printable soft line breaks joined again). */
export async function toText(raw: Buffer): Promise<string> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  return parsed.text ?? '';
}

/** Who may use each route (checked by the route × role test). */
export const devOutboxAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/dev/outbox', allow: ['coordinator'] },
  { method: 'GET', path: '/dev/outbox/:id', allow: ['coordinator'] },
];

/**
 * Development mode only (`FORMWORK_DEV`): `/dev/outbox` lists the emails written to
 * `$DATA_DIR/outbox` (newest first) with their links decoded and clickable, and
 * `/dev/outbox/{id}` shows one message's text. Coordinators only, as the messages hold
 * sign-in codes and home links.
 */
export function createDevOutboxRouter(options: DevOutboxRouterOptions): Router {
  const router = Router();
  const requireCoordinator = (req: Request) => {
    const user = req.session?.user;
    if (!user) throw new AppError('ERR_AUTH_REQUIRED', 'sign-in needed');
    // the coordinator role in the database, as every coordinator page checks it
    if (!isCoordinator(user)) throw new AppError('ERR_AUTH_FORBIDDEN', 'not a coordinator');
  };

  router.get('/dev/outbox', async (req, res) => {
    requireCoordinator(req);
    const entries = (await options.outbox.list()).slice(0, listed);
    const messages = [];
    for (const entry of entries) {
      const raw = await options.outbox.read(entry.id);
      messages.push({
        id: entry.id,
        subject: entry.subject,
        to: entry.to,
        date: when.format(entry.date),
        links: raw ? toLinks(await toText(raw)) : [],
      });
    }
    options.pages.render(req, res, 'dev-outbox', { title: 'Outbox (development mode)', messages });
  });

  router.get('/dev/outbox/:id', async (req, res) => {
    requireCoordinator(req);
    const id = req.params.id;
    const raw = await options.outbox.read(id);
    if (!raw) throw new AppError('ERR_HTTP_NOT_FOUND', 'no such message');
    const entry = (await options.outbox.list()).find((candidate) => candidate.id === id);
    const text = await toText(raw);
    options.pages.render(req, res, 'dev-outbox-message', {
      title: entry?.subject ?? 'Message',
      backLink: '/dev/outbox',
      to: entry?.to ?? '',
      date: entry ? when.format(entry.date) : '',
      text,
      links: toLinks(text),
    });
  });
  return declareAccess(router, devOutboxAccess);
}
