enum EmbeddingStorePlaceholder {}
