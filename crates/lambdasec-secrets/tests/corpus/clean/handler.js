'use strict';
// Orders API handler: the token comes from Secrets Manager at cold start.
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

const client = new SecretsManagerClient({});
let apiToken;

async function token() {
  if (!apiToken) {
    const out = await client.send(new GetSecretValueCommand({ SecretId: process.env.API_TOKEN_SECRET_ARN }));
    apiToken = JSON.parse(out.SecretString).token;
  }
  return apiToken;
}

exports.handler = async (event) => {
  const accessToken = await token();
  const headers = { Authorization: `Bearer ${accessToken}`, 'x-api-key': process.env.PARTNER_API_KEY };
  const password = event.body && JSON.parse(event.body).password;
  if (password === undefined || password === null) {
    return { statusCode: 400, body: JSON.stringify({ error: 'password required' }) };
  }
  const config = { apiKey: process.env.API_KEY, secret: process.env.CLIENT_SECRET, password: '' };
  const tokenizer = new Tokenizer({ maxTokens: 512, tokenPattern: '[A-Za-z0-9_]+' });
  return { statusCode: 200, headers, body: JSON.stringify({ ok: true, config: Object.keys(config), t: tokenizer.size }) };
};

class Tokenizer {
  constructor(o) { this.size = o.maxTokens; this.pattern = o.tokenPattern; }
}
