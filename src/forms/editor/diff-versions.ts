import { applyDefaults, type RawFormDefinition } from '../form-definition.js';
import { listQuestions, questionTypes, type QuestionSummary } from './question-nodes.js';

/** One question's change between two versions, in words. */
export interface QuestionChange {
  change: 'added' | 'removed' | 'changed';
  title: string;
  pointer: string;
  /** What changed, one line each ("Title: "Name" → "Full name""). */
  details: string[];
}

/** A readable diff of two versions: by page and by question, not by JSON line. */
export interface VersionDiff {
  pages: string[];
  questions: QuestionChange[];
  /** Other top-level settings that differ (title, access, retention…). */
  settings: string[];
}

function typeName(question: QuestionSummary): string {
  return question.type === 'other' ? 'other' : questionTypes[question.type];
}

function describeCondition(question: QuestionSummary): string {
  return question.condition
    ? `shown when ${question.condition.controller} is ${JSON.stringify(question.condition.value)}`
    : 'always shown';
}

/** What changed from `before` to `after`. */
export function diffVersions(before: RawFormDefinition, after: RawFormDefinition): VersionDiff {
  const from = applyDefaults(before, '');
  const to = applyDefaults(after, '');
  const pages: string[] = [];
  const oldPages = new Map(from.pages.map((page) => [page.id, page]));
  const newPages = new Map(to.pages.map((page) => [page.id, page]));
  for (const page of to.pages) {
    const old = oldPages.get(page.id);
    if (!old) pages.push(`Page added: "${page.title}"`);
    else if (old.title !== page.title) pages.push(`Page renamed: "${old.title}" → "${page.title}"`);
  }
  for (const page of from.pages)
    if (!newPages.has(page.id)) pages.push(`Page removed: "${page.title}"`);
  const oldOrder = from.pages.map((page) => page.id).filter((id) => newPages.has(id));
  const newOrder = to.pages.map((page) => page.id).filter((id) => oldPages.has(id));
  if (oldOrder.join() !== newOrder.join()) pages.push('Pages reordered');

  const oldQuestions = new Map(listQuestions(from.schema, from.ui).map((q) => [q.pointer, q]));
  const newQuestions = new Map(listQuestions(to.schema, to.ui).map((q) => [q.pointer, q]));
  const questions: QuestionChange[] = [];
  for (const [pointer, question] of newQuestions) {
    const old = oldQuestions.get(pointer);
    if (!old) {
      questions.push({
        change: 'added',
        title: question.title,
        pointer,
        details: [
          `Type: ${typeName(question)}`,
          question.required ? 'Required' : 'Optional',
          ...(question.condition ? [describeCondition(question)] : []),
        ],
      });
      continue;
    }
    const details: string[] = [];
    const compare = (label: string, a: string, b: string) => {
      if (a !== b) details.push(`${label}: "${a}" → "${b}"`);
    };
    compare('Title', old.title, question.title);
    compare('Hint', old.hint, question.hint);
    compare('Type', typeName(old), typeName(question));
    if (old.required !== question.required)
      details.push(question.required ? 'Now required' : 'Now optional');
    const oldChoices = old.choices.map((choice) => `${choice.label} (${choice.value})`);
    const newChoices = question.choices.map((choice) => `${choice.label} (${choice.value})`);
    for (const choice of newChoices)
      if (!oldChoices.includes(choice)) details.push(`Choice added: ${choice}`);
    for (const choice of oldChoices)
      if (!newChoices.includes(choice)) details.push(`Choice removed: ${choice}`);
    compare('Condition', describeCondition(old), describeCondition(question));
    if (details.length > 0)
      questions.push({ change: 'changed', title: question.title, pointer, details });
  }
  for (const [pointer, question] of oldQuestions) {
    if (!newQuestions.has(pointer))
      questions.push({ change: 'removed', title: question.title, pointer, details: [] });
  }
  const settings: string[] = [];
  for (const key of [
    'title',
    'description',
    'access',
    'allowedEmailDomains',
    'referencePrefix',
    'organisation',
    'retention',
    'privacyNotice',
    'sections',
  ] as const) {
    if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) settings.push(`Changed: ${key}`);
  }
  return { pages, questions, settings };
}
