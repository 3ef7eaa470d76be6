// Package models holds the service's GORM models. Each struct follows the schema the migrations in db/migrations
// produce: after a migration adds or drops a column, the struct changes with it.
package models

import "gorm.io/gorm"

// User is a row of the users table (000001_create_users, 000002_add_email_to_users).
type User struct {
	gorm.Model
	Name  string `gorm:"size:255;not null"`
	Email string `gorm:"size:255;uniqueIndex:users_email_unique"`
}
