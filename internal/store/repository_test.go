package store_test

import "testing"

// TestRepository runs the whole repository suite against SQLite and against a real
// PostgreSQL server (one cluster for the dialect, a new database per test). Run one test
// on both dialects with e.g. -run 'TestRepository/.*/Projection'.
func TestRepository(t *testing.T) {
	tests := []repoTest{
		{"SeedDirectoryOnce", testSeedDirectoryOnce},
		{"SeedDirectoryConcurrent", testSeedDirectoryConcurrent},
		{"PersonEditsAndHistory", testPersonEditsAndHistory},
		{"PersonCreateOnly", testPersonCreateOnly},
		{"MoveRefusalSaysTheAgencyDates", testMoveRefusalSaysTheAgencyDates},
		{"MovePersonEffectiveDated", testMovePersonEffectiveDated},
		{"PeopleFilters", testPeopleFilters},
		{"DirectoryVersion", testDirectoryVersion},
		{"DirectoryCheckRollsBack", testDirectoryCheckRollsBack},
		{"DirectoryCheckSerialisesEdits", testDirectoryCheckSerialisesEdits},
		{"RecordDocumentRoundTrip", testRecordDocumentRoundTrip},
		{"RecordDocumentIdempotent", testRecordDocumentIdempotent},
		{"RecordDocumentRefusesBadInput", testRecordDocumentRefusesBadInput},
		{"DocumentBySHA", testDocumentBySHA},
		{"RevocationKeepsTheRecord", testRevocationKeepsTheRecord},
		{"RevocationCases", testRevocationCases},
		{"AwardCounts", testAwardCounts},
		{"AwardStatisticsMatchTheRegister", testAwardStatisticsMatchTheRegister},
		{"AnnualRecords", testAnnualRecords},
		{"AwardHistory", testAwardHistory},
		{"UpwardResults", testUpwardResults},
		{"Postings", testPostings},
		{"ProjectionOlderNeverOverwrites", testProjectionOlderNeverOverwrites},
		{"ProjectionConflicts", testProjectionConflicts},
		{"ProjectionEventsAnyOrder", testProjectionEventsAnyOrder},
		{"ProjectionConcurrentWriters", testProjectionConcurrentWriters},
		{"ListPagingMatchesModel", testListPagingMatchesModel},
		{"ListFiltersMatchModel", testListFiltersMatchModel},
		{"ListStableUnderInserts", testListStableUnderInserts},
		{"ListTextSearchFolds", testListTextSearchFolds},
		{"ListScopeFailsClosed", testListScopeFailsClosed},
		{"ListRefusesBadInput", testListRefusesBadInput},
		{"ListAssignedBothKinds", testListAssignedBothKinds},
		{"NotificationsFromProjection", testNotificationsFromProjection},
		{"MailOutboxClaims", testMailOutboxClaims},
		{"NotificationDigests", testNotificationDigests},
		{"CaseNumbers", testCaseNumbers},
		{"CaseNumbersConcurrent", testCaseNumbersConcurrent},
	}
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) { tc.fn(t, env) })
		}
	})
}
