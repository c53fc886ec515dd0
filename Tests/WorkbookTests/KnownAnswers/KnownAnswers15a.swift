import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

extension KnownAnswers {
    static let answers15a: [KnownAnswer] = [
        .wrong("15a", "blocks its thread with result()", caughtOn: .promptness,
            Check15a.prepare(.init(renderAsync: { page, pool, render in
                try pool.submit { try render(page) }.result()
            }), module: module)),
        .wrong("15a", "awaits the future, but leaves the queued job when the Task is cancelled", caughtOn: .cancellation,
            Check15a.prepare(.init(renderAsync: { page, pool, render in
                try await pool.submit { try render(page) }.value
            }), module: module)),
        .wrong("15a", "checks for cancellation once, before submitting", caughtOn: .cancellation,
            Check15a.prepare(.init(renderAsync: { page, pool, render in
                try Task.checkCancellation()
                let future = try pool.submit { try render(page) }
                return try await withCheckedThrowingContinuation { continuation in
                    future.addDoneCallback { future in continuation.resume(with: Result { try future.result() }) }
                }
            }), module: module)),
        .wrong("15a", "renders in the async function itself", caughtOn: .pool,
            Check15a.prepare(.init(renderAsync: { page, _, render in
                try Task.checkCancellation()
                return try render(page)
            }), module: module)),
        .wrong("15a", "waits in a detached task, which blocks one of the same few threads", caughtOn: .promptness,
            Check15a.prepare(.init(renderAsync: { page, pool, render in
                let future = try pool.submit { try render(page) }
                return try await withTaskCancellationHandler {
                    try await Task.detached { try future.result() }.value
                } onCancel: {
                    future.cancel()
                }
            }), module: module)),
        .right("15a", "a continuation resumed by a done-callback, inside a cancellation handler",
            Check15a.prepare(.init(renderAsync: { page, pool, render in
                let future = try pool.submit { try render(page) }
                return try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        future.addDoneCallback { future in
                            continuation.resume(with: Result {
                                do { return try future.result() } catch is CancelledError { throw CancellationError() }
                            })
                        }
                    }
                } onCancel: {
                    future.cancel()
                }
            }), module: module)),
    ]
}
