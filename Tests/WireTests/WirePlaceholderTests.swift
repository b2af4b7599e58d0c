import XCTest
@testable import Wire
