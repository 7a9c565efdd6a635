/** What Heron's JSON log (pino, one object a line) says about client logins. */
export interface SubmissionLogin {
  listener: string;
  method: string;
}

/** Successful SMTP AUTHs on the submission listeners (465 'submissions', 587 'submission'), in order. */
export function submissionLogins(output: string): SubmissionLogin[] {
  const out: SubmissionLogin[] = [];
  // Whole lines only: the child's last line may still be arriving.
  for (const line of output.slice(0, output.lastIndexOf('\n') + 1).split('\n')) {
    if (!line.startsWith('{') || !line.includes('"event":"auth"')) continue;
    const entry = JSON.parse(line) as { component?: string; event?: string; method?: string; result?: string };
    if ((entry.component === 'submission' || entry.component === 'submissions') && entry.result === 'ok') {
      out.push({ listener: entry.component, method: entry.method ?? '' });
    }
  }
  return out;
}

/** IMAP APPENDs into Sent that Heron answered with the copy submission had filed (issue 8 item 5). */
export function sentAppendsMatched(output: string): number {
  return output.split('\n').filter((line) => line.startsWith('{') && line.includes('"event":"append_dedup"')).length;
}
