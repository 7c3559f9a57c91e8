// The contract of an auth adapter. The HTTP layer asks it about every SCIM request and answers
// 401 with its challenge when it says no; ServiceProviderConfig advertises its scheme.

export interface AuthenticationScheme {
  type: 'oauth' | 'oauth2' | 'oauthbearertoken' | 'httpbasic' | 'httpdigest' | string;
  name: string;
  description: string;
  specUri?: string;
  documentationUri?: string;
  primary?: boolean;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface Authenticator {
  scheme: AuthenticationScheme;
  /** The WWW-Authenticate value sent with a 401. */
  challenge: string;
  /** True when the request carries valid credentials. Must compare secrets in constant time. */
  authenticate(headers: RequestHeaders): boolean | Promise<boolean>;
}
