// Key Vault with Azure RBAC (no access policies). It holds the Genesys OAuth client secret and the SuccessFactors
// OAuth client's certificate with its private key, both set after deployment (`az keyvault secret set`,
// `az keyvault certificate import`; docs/deploy-azure.md, docs/successfactors-oauth.md), so no value passes
// through a template.
param location string
param tags object
param keyVaultName string

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = keyVault.name
output uri string = keyVault.properties.vaultUri
