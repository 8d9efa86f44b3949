import type { CensusFileReport, CensusIssue } from '../../census/validate-census-file.js';
import type { CensusReturnView } from '../../census/census-returns.js';
import { describeRule, type ReturnIssue } from '../../census/validate-census-return.js';
import type { CensusReturnState } from '../../store/census-return-store.js';
import { dateTime } from '../workflow-pages/workflow-page-texts.js';

/** The words and tag colour of each state. */
export const stateLabels: Record<CensusReturnState, { text: string; classes: string }> = {
  open: { text: 'Open', classes: 'govuk-tag--blue' },
  validated: { text: 'Validated', classes: 'govuk-tag--turquoise' },
  'signed-off': { text: 'Signed off', classes: 'govuk-tag--green' },
  exported: { text: 'Exported', classes: 'govuk-tag--grey' },
};

type Cell = { text: string } | { html: string };

/** Table rows of upload issues: row, item, value, what is wrong. */
export function toFileIssueRows(issues: readonly CensusIssue[]): Cell[][] {
  return issues.map((issue) => [
    { text: String(issue.row) },
    { text: issue.column },
    { text: issue.value === '' ? '(blank)' : issue.value },
    { text: `${issue.message} (${issue.ruleId === 'schema' ? 'form rule' : issue.ruleId})` },
  ]);
}

/** Table rows of whole-return issues: worker, item, value, what is wrong. */
export function toReturnIssueRows(issues: readonly ReturnIssue[]): Cell[][] {
  return issues.map((issue) => [
    { text: issue.sweNo ?? 'The authority' },
    { text: issue.column },
    { text: issue.value === '' ? '(blank)' : issue.value },
    { text: `${issue.message} (${issue.ruleId === 'schema' ? 'form rule' : issue.ruleId})` },
  ]);
}

/** What the return page shows about the return itself. */
export function toReturnSummary(view: CensusReturnView) {
  const state = view.ret?.state ?? 'open';
  const rows: { key: { text: string }; value: Cell }[] = [
    {
      key: { text: 'State' },
      value: {
        html: `<strong class="govuk-tag ${stateLabels[state].classes}">${stateLabels[state].text}</strong>`,
      },
    },
    { key: { text: 'Workers' }, value: { text: String(view.counts.workers) } },
    { key: { text: 'Of whom leavers' }, value: { text: String(view.counts.leavers) } },
    { key: { text: 'Of whom agency workers' }, value: { text: String(view.counts.agency) } },
    {
      key: { text: 'Entered one by one through the form' },
      value: { text: String(view.counts.fromForm) },
    },
  ];
  const signedOff = view.ret?.signedOff;
  if (signedOff)
    rows.push({
      key: { text: 'Signed off by' },
      value: { text: `${signedOff.name}, ${dateTime.format(signedOff.at)}` },
    });
  if (view.ret?.exportedAt)
    rows.push({
      key: { text: 'Last exported' },
      value: {
        text: `${dateTime.format(view.ret.exportedAt)} (export ${String(view.ret.exportCount)})`,
      },
    });
  return rows;
}

/** The queries' rules, each with its explanation box. */
export function toQueryRules(view: CensusReturnView, sent: Record<string, string> = {}) {
  return view.validation.queryRules.map((rule) => ({
    id: rule.id,
    name: `explanation-${rule.id}`,
    label: `${rule.id}: ${describeRule(rule.id)} (${String(rule.count)} ${rule.count === 1 ? 'query' : 'queries'})`,
    value: sent[rule.id] ?? view.ret?.queryExplanations[rule.id] ?? '',
  }));
}

/** The counts a report page leads with. */
export function toReportCounts(report: CensusFileReport) {
  return {
    rows: report.rows,
    rowsWithErrors: report.rowsWithErrors,
    validRows: report.rows - report.rowsWithErrors,
    errorCount: report.errorCount,
    queryCount: report.queryCount,
    errors: toFileIssueRows(report.issues.filter((issue) => issue.severity === 'error')),
    queries: toFileIssueRows(report.issues.filter((issue) => issue.severity === 'query')),
    shown: report.issues.length,
  };
}
