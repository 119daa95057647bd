/**
 * `${{ }}` expressions in workflow text, and which of them carry text an outsider controls
 * (issue and pull request titles and bodies, comments, branch names, commit messages): GitHub
 * substitutes them before the shell runs, so such text becomes code.
 */

/** An expression longer than this is not read further (no real one comes close). */
const MAX_EXPRESSION = 1000;

/**
 * Contexts an outsider can set, as GitHub's security hardening guide lists them. One
 * alternation with single quantifiers over short text: linear.
 */
const UNTRUSTED =
  /\bgithub\.(?:head_ref\b|event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages\b[^\s}]{0,40}\.page_name|commits\b[^\s}]{0,40}\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.(?:message|author\.(?:email|name)))))/;

/**
 * A ref or repository that names the pull request's own code: checking it out in a
 * pull_request_target or workflow_run workflow runs that code with the base repository's secrets.
 */
const PULL_REQUEST_CODE =
  /\bgithub\.(?:head_ref\b|event\.(?:pull_request\.(?:head\.(?:sha|ref|repo\.full_name)|merge_commit_sha|number)|number\b|workflow_run\.(?:head_sha|head_branch|head_repository\.full_name|pull_requests))|event\.issue\.number)|refs\/pull\//;

export interface Expression {
  /** The whole `${{ ... }}` text, at most MAX_EXPRESSION characters inside. */
  readonly text: string;
  /** Offset of `${{` in the searched string. */
  readonly offset: number;
}

/** Every `${{ ... }}` in the text, left to right. */
export function expressionsIn(text: string): Expression[] {
  const found: Expression[] = [];
  let start = text.indexOf("${{");
  while (start >= 0) {
    const close = text.indexOf("}}", start + 3);
    const end = close < 0 || close - start > MAX_EXPRESSION ? Math.min(text.length, start + 3 + MAX_EXPRESSION) : close + 2;
    found.push({ text: text.slice(start, end), offset: start });
    start = text.indexOf("${{", end);
  }
  return found;
}

/** The part of an untrusted context an expression reads ("github.event.issue.title"); undefined when none. */
export function untrustedContext(expression: string): string | undefined {
  return UNTRUSTED.exec(expression)?.[0];
}

/** Whether text (a ref, a repository, a script) names the pull request's code. */
export function namesPullRequestCode(text: string): boolean {
  return expressionsIn(text).some((e) => PULL_REQUEST_CODE.test(e.text)) || /refs\/pull\//.test(text);
}
