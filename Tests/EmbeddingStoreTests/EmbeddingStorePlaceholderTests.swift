import XCTest
@testable import EmbeddingStore
