import type { Database } from '../../store/database.js';
import { dateTime } from '../workflow-pages/workflow-page-texts.js';

/** A home's question on a referral, with the referrer's answers, as the coordinator reads it. */
export interface HomeQuestionViewModel {
  home: string;
  text: string;
  at: string;
  answers: { text: string; at: string; documents: string[] }[];
}

/**
 * Every question the homes asked about a referral, with the referrer's answers and the
 * documents sent with them (links made by `documentLink`). Questions come from every answer a
 * home gave (`workflow_home_responses`) where that history is kept, otherwise from each home's
 * latest answer; the referrer's answers from `referral_question_answers` where it exists.
 */
export async function loadHomeQuestions(
  db: Database,
  instanceId: string,
  documentLink: (id: string, filename: string) => string,
): Promise<HomeQuestionViewModel[]> {
  const tables = await existingTables(db, ['workflow_home_responses', 'referral_question_answers']);
  const { rows: questions } = tables.has('workflow_home_responses')
    ? await db.query<QuestionRow>(
        `SELECT q.request_id, h.name, q.reason AS question, q.responded_at AS at
         FROM workflow_home_responses q JOIN workflow_home_requests r ON r.id = q.request_id
         JOIN homes h ON h.id = r.home_id
         WHERE r.instance_id = $1 AND q.answer = 'more-information' ORDER BY q.responded_at`,
        [instanceId],
      )
    : await db.query<QuestionRow>(
        `SELECT r.id AS request_id, h.name, r.reason AS question, r.responded_at AS at
         FROM workflow_home_requests r JOIN homes h ON h.id = r.home_id
         WHERE r.instance_id = $1 AND r.state = 'more-information' ORDER BY r.responded_at`,
        [instanceId],
      );
  const answers = tables.has('referral_question_answers')
    ? (
        await db.query<AnswerRow>(
          `SELECT a.id, a.request_id, a.question, a.answer, a.answered_at
           FROM referral_question_answers a JOIN workflow_home_requests r ON r.id = a.request_id
           WHERE r.instance_id = $1 ORDER BY a.answered_at`,
          [instanceId],
        )
      ).rows
    : [];
  const documents = answers.length
    ? (
        await db.query<{ id: string; filename: string; answer_id: string }>(
          `SELECT id, filename, answer_id FROM documents WHERE answer_id = ANY($1::uuid[])
           ORDER BY created_at, id`,
          [answers.map((answer) => answer.id)],
        )
      ).rows
    : [];
  return questions.map((question) => ({
    home: question.name,
    text: question.question ?? '',
    at: question.at ? dateTime.format(new Date(question.at)) : '',
    answers: answers
      .filter(
        (answer) =>
          answer.request_id === question.request_id && answer.question === question.question,
      )
      .map((answer) => ({
        text: answer.answer,
        at: dateTime.format(new Date(answer.answered_at)),
        documents: documents
          .filter((doc) => doc.answer_id === answer.id)
          .map((doc) => documentLink(doc.id, doc.filename)),
      })),
  }));
}

interface QuestionRow {
  request_id: string;
  name: string;
  question: string | null;
  at: Date | string | null;
}

interface AnswerRow {
  id: string;
  request_id: string;
  question: string;
  answer: string;
  answered_at: Date | string;
}

/** Which of `names` are tables in this database (some come with later migrations). */
async function existingTables(db: Database, names: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [names],
  );
  return new Set(rows.map((row) => row.name));
}
