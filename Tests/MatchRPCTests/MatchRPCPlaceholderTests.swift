import XCTest
@testable import MatchRPC
