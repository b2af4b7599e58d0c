// Placeholder until proto/ is generated.
