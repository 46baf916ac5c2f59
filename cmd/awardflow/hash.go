package main

import "github.com/awardflow/awardflow/internal/auth"

func hashPassword(pw string) (string, error) { return auth.HashPassword(pw) }
