/**
 * SAML identity providers (IAM API Reference: ListSAMLProviders, GetSAMLProvider), the trust anchor
 * of Okta's AWS Account Federation app in each account. Created only by the seed helpers: the product
 * reads them, never creates them. A malformed ARN answers InvalidInput, an unknown one NoSuchEntity
 * (both listed for GetSAMLProvider in the model).
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { invalidInput, noSuchEntity } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { samlProviderArn, tagList } from "./shapes.ts";

const SAML_PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.-]+)$/;

export function samlProviderOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const accountOf = (request: Parameters<AwsQueryOperation>[1]) =>
    ctx.state.account(ctx.caller(request, "iam").accountId);
  return {
    ListSAMLProviders(_input, request) {
      const account = accountOf(request);
      return {
        SAMLProviderList: [...account.samlProviders.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((p) => ({
            Arn: samlProviderArn(account.accountId, p.name),
            ValidUntil: p.validUntil,
            CreateDate: p.createdAt,
          })),
      };
    },
    GetSAMLProvider(input, request) {
      const fields = new QueryFields(input);
      const arn = fields.string("SAMLProviderArn", RULES.arn);
      fields.done();
      const account = accountOf(request);
      const match = SAML_PROVIDER_ARN.exec(arn);
      if (match === null) throw invalidInput(`ARN ${arn} is not valid.`);
      const provider = match[1] === account.accountId ? account.samlProviders.get(match[2] ?? "") : undefined;
      if (provider === undefined) throw noSuchEntity(`Manifest not found for arn ${arn}`);
      return {
        SAMLProviderUUID: provider.uuid,
        SAMLMetadataDocument: provider.metadataDocument,
        CreateDate: provider.createdAt,
        ValidUntil: provider.validUntil,
        Tags: provider.tags.size > 0 ? tagList(provider.tags) : undefined,
      };
    },
  };
}
