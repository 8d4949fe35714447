/**
 * Finds secret values in deployment files: storage account keys and connection strings that carry them, SAS
 * signatures, private keys, JWTs, literal passwords or keys assigned in Bicep or JSON, secure Bicep
 * parameters with a literal default, and secrets leaking through Bicep outputs. It looks at text, so it also
 * covers files no parser here understands; a finding names the file, line and rule, never the value.
 */

export interface SecretFinding {
  file: string;
  line: number;
  rule: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
  /** Files the rule applies to; all when omitted. */
  files?: RegExp;
}

const SECRET_NAME = String.raw`(?:password|passwd|pwd|secret|apikey|api_key|accesskey|access_key|clientsecret|client_secret|token|sharedkey|functionkey|privatekey)`;

const RULES: Rule[] = [
  {
    name: "storage account key in a connection string",
    pattern: /AccountKey=(?!\$\{|\[|<)[A-Za-z0-9+/]{20,}/i,
  },
  { name: "shared access key", pattern: /SharedAccessKey=(?!\$\{|\[|<)[A-Za-z0-9+/]{20,}/i },
  { name: "SAS signature", pattern: /[?&]sig=(?!\$\{|\[|<|@)[A-Za-z0-9%+/]{16,}/i },
  { name: "private key", pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { name: "JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: "base64 storage account key", pattern: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/ },
  {
    name: "literal secret assigned in Bicep",
    pattern: new RegExp(
      String.raw`^\s*'?[A-Za-z0-9_-]*${SECRET_NAME}[A-Za-z0-9_-]*'?\s*:\s*'(?!@Microsoft\.KeyVault\()(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')[^'$\s][^']{3,}'`,
      "im",
    ),
    files: /\.bicep$/,
  },
  {
    name: "literal secret assigned in JSON",
    pattern: new RegExp(
      String.raw`"[A-Za-z0-9_-]*${SECRET_NAME}[A-Za-z0-9_-]*"\s*:\s*(?:\{\s*"value"\s*:\s*)?"(?![$@\[]|\s*")[^"]{4,}"`,
      "i",
    ),
    files: /\.json$/,
  },
  {
    name: "secure parameter with a literal default",
    pattern: /@secure\(\)\s*(?:@[^\n]*\n\s*)*param\s+\w+\s+\w+\s*=\s*'[^']+'/,
    files: /\.bicep$/,
  },
  {
    name: "secret in a Bicep output",
    pattern:
      /^\s*output\s+\w+\s+\w+\s*=.*(?:listKeys|listSecrets|listCallbackUrl|\.keys\[|connectionString\(\))/im,
    files: /\.bicep$/,
  },
];

/** Scans one file's text; the `file` name chooses which rules apply. */
export function scanForSecrets(file: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const rule of RULES) {
    if (rule.files && !rule.files.test(file)) continue;
    const global = new RegExp(
      rule.pattern.source,
      rule.pattern.flags.includes("g") ? rule.pattern.flags : `${rule.pattern.flags}g`,
    );
    for (const match of text.matchAll(global)) {
      findings.push({ file, line: text.slice(0, match.index).split("\n").length, rule: rule.name });
    }
  }
  return findings;
}
