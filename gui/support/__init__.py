"""What every room shares: i18n, texts, theme, fonts, resources, licences."""
