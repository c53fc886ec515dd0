// The check runner of exercise 10a: `swift run workbook check 10a` builds and starts it.
import Exercise10a
import WorkbookChecks

WorkbookRunner.main(Check10a.self, .init(serviceType: ResizeService.self))
