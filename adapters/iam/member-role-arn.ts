/** The ARN of a member role the tool assumes: the templates create it at path `/` (infra/templates/member-roles.json). */
export function memberRoleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}
