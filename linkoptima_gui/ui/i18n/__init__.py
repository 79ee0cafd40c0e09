"""The console's languages: which one to speak, loading its translations, and building them."""

from .language import ENV_VAR, LANGUAGES, SOURCE_LANGUAGE, choose_language
from .loading import InstalledLanguage, install_language, remove_language, translations_dir

__all__ = ["ENV_VAR", "LANGUAGES", "SOURCE_LANGUAGE", "InstalledLanguage", "choose_language", "install_language",
           "remove_language", "translations_dir"]
