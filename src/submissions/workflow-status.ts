/** The workflow part of a submission as the API shows it. */
export interface WorkflowStatus {
  state: string;
  steps: { id: string; type: string; state: string; at: string }[];
}

/** Reads a submission's workflow state and step history. */
export interface WorkflowStatusReader {
  read(submissionId: string): Promise<WorkflowStatus>;
}
