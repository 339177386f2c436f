from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The Django admin signs people in through allauth, so it shares the lockout and MFA rules.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Cocommission platform admin"
admin.site.site_title = "Cocommission admin"

urlpatterns = [
    path("", include("cocommission.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("cocommission.accounts.urls")),
    path("organisations/", include("cocommission.organisations.urls")),
    path("partnerships/", include("cocommission.partnerships.urls")),
    path("opportunities/", include("cocommission.commissioning.urls")),
    path("agreements/", include("cocommission.agreements.urls")),
    path("", include("cocommission.needs.urls")),
    path("", include("cocommission.deciding.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "cocommission.core.views.error_403"
handler404 = "cocommission.core.views.error_404"
handler500 = "cocommission.core.views.error_500"
